// Plain typed AST of an .eft file. Every node carries the span of source it came from.
// The AST knows nothing of FLOPs, budgets or training: meaning is given by the compiler.

/** A half-open range of source text. Lines and columns are 1-based; offset is 0-based (UTF-16 code units). */
export interface Span {
  file: string;
  offset: number;
  length: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Comment {
  kind: 'Comment';
  /** The comment's text including the leading `#`. */
  text: string;
  span: Span;
}

export interface FileNode {
  kind: 'File';
  imports: ImportNode[];
  decls: DeclNode[];
  /** Every comment of the file in source order (the printer re-attaches them). */
  comments: Comment[];
  span: Span;
}

/** `import "path/to/other.eft"`: makes the declarations of another file visible. */
export interface ImportNode {
  kind: 'Import';
  path: StringLiteral;
  span: Span;
}

export type DeclKeyword = 'experiment' | 'template' | 'sweep' | 'table';

/**
 * A top-level declaration: `experiment NAME [extends BASE] { ... }`, `template NAME
 * [extends BASE] { ... }`, `sweep NAME [extends BASE] { ... }`, `table NAME { ... }`.
 */
export interface DeclNode {
  kind: 'Decl';
  keyword: DeclKeyword;
  name: Identifier;
  base?: Identifier;
  body: BlockNode;
  span: Span;
}

export interface BlockNode {
  kind: 'Block';
  entries: EntryNode[];
  span: Span;
}

export type Comparator = '<=' | '<' | '>=' | '>' | '=';

/**
 * One property of a block: `key [comparator] [value] (modifier value)* [{ block }]`.
 * Examples: `model deit_small`, `baseline { epochs 300ep }`,
 * `speedup 1.5x within 2%`, `device_hours <= 400h on a100 at 40%`,
 * `stage 0% .. 10% { resolution 96px }`, `budget.speedup 2x` (a dotted key overrides a nested value).
 */
export interface EntryNode {
  kind: 'Entry';
  key: KeyPath;
  comparator?: { op: Comparator; span: Span };
  value?: Expr;
  modifiers: ModifierNode[];
  block?: BlockNode;
  span: Span;
}

/** `a.b.c`: one or more identifiers joined by dots. */
export interface KeyPath {
  kind: 'KeyPath';
  parts: Identifier[];
  span: Span;
}

export type ModifierKeyword = 'within' | 'on' | 'at';

/** A keyword-introduced qualifier of an entry's value: `within 2%`, `on a100`, `at 40%`. */
export interface ModifierNode {
  kind: 'Modifier';
  keyword: ModifierKeyword;
  value: Expr;
  span: Span;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | Identifier
  | CallExpr
  | ListExpr
  | RangeExpr
  | RampExpr;

/** `300ep`, `20%`, `1.5x`, `224px`, `4e-3`, `1_281_167`. `unit` is the suffix written right after the digits. */
export interface NumberLiteral {
  kind: 'Number';
  value: number;
  /** The exact source text, digits and unit. */
  raw: string;
  unit?: string;
  span: Span;
}

export interface StringLiteral {
  kind: 'String';
  /** The decoded value (escapes resolved). */
  value: string;
  span: Span;
}

export interface Identifier {
  kind: 'Identifier';
  name: string;
  span: Span;
}

/** `adamw(lr: 4e-3, weight_decay: 0.05)` or `efficienttrain_pp(deit)`. */
export interface CallExpr {
  kind: 'Call';
  callee: Identifier;
  args: ArgNode[];
  span: Span;
}

/** A call argument, named (`lr: 4e-3`) or positional (`deit`). */
export interface ArgNode {
  kind: 'Arg';
  name?: Identifier;
  value: Expr;
  span: Span;
}

/** `[96px, 160px, 224px]` */
export interface ListExpr {
  kind: 'List';
  items: Expr[];
  span: Span;
}

/** `0% .. 10%`: an interval (stage bounds). */
export interface RangeExpr {
  kind: 'Range';
  from: Expr;
  to: Expr;
  span: Span;
}

/** `0 -> 9` or `0 -> 9 in 10 steps`: a value that changes over the run. */
export interface RampExpr {
  kind: 'Ramp';
  from: Expr;
  to: Expr;
  steps?: NumberLiteral;
  span: Span;
}

export type Node =
  | FileNode
  | ImportNode
  | DeclNode
  | BlockNode
  | EntryNode
  | KeyPath
  | ModifierNode
  | ArgNode
  | Expr;
