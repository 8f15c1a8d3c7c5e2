// Turns the Chevrotain CST into the plain AST of ast.ts. After error recovery any child may be
// missing or a token may be one the parser inserted (it has no position); such parts get a
// zero-length span where they should have been, so the AST stays well formed.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  ArgNode,
  BlockNode,
  CallExpr,
  Comparator,
  DeclKeyword,
  DeclNode,
  EntryNode,
  Expr,
  FileNode,
  Identifier,
  ImportNode,
  KeyPath,
  ListExpr,
  ModifierKeyword,
  ModifierNode,
  NumberLiteral,
  Span,
  StringLiteral,
} from './ast.js';
import type { LineMap } from './positions.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import type { NumberPayload, StringPayload } from './lex.js';

type Children = Record<string, CstElement[] | undefined>;

const NONE: never[] = [];

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && 'image' in e;
}

/** A token read from the source, not one that error recovery inserted (those have no offset). */
function realToken(t: IToken | undefined): t is IToken {
  return t !== undefined && t.startOffset >= 0 && t.isInsertedInRecovery !== true;
}

export class CstToAst {
  /** End of the last real token seen: where a missing part is placed. */
  private cursor = 0;

  constructor(
    private readonly lines: LineMap,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Adds the imports and declarations of a `file` CST to `into`. */
  items(cst: CstNode, into: FileNode): void {
    const c = cst.children as Children;
    for (const n of this.nodes(c, 'importDecl')) into.imports.push(this.importDecl(n));
    for (const n of this.nodes(c, 'decl')) into.decls.push(this.decl(n));
  }

  private importDecl(n: CstNode): ImportNode {
    const c = n.children as Children;
    const keyword = this.tokenSpan(this.token(c, 'Import'));
    const path = this.string(this.token(c, 'StringLit'));
    return { kind: 'Import', path, span: this.cover(keyword, path.span) };
  }

  private decl(n: CstNode): DeclNode {
    const c = n.children as Children;
    const keywordToken = this.token(c, 'Experiment') ?? this.token(c, 'Template') ?? this.token(c, 'Sweep') ?? this.token(c, 'Table');
    const image = keywordToken?.image;
    const keyword: DeclKeyword = image === 'sweep' || image === 'table' || image === 'template' ? image : 'experiment';
    const keywordSpan = this.tokenSpan(keywordToken);
    const names = this.tokens(c, 'Identifier');
    const name = this.identifier(names[0]);
    const base = this.token(c, 'Extends') ? this.identifier(names[1]) : undefined;
    const body = this.block(this.nodes(c, 'block')[0]);
    return { kind: 'Decl', keyword, name, ...(base ? { base } : {}), body, span: this.cover(keywordSpan, body.span) };
  }

  private block(n: CstNode | undefined): BlockNode {
    if (!n) return { kind: 'Block', entries: [], span: this.missing() };
    const c = n.children as Children;
    const open = this.tokenSpan(this.token(c, 'LCurly'));
    const entries = this.nodes(c, 'entry').map((e) => this.entry(e));
    const close = this.tokenSpan(this.token(c, 'RCurly'));
    return { kind: 'Block', entries, span: this.cover(open, close) };
  }

  private entry(n: CstNode): EntryNode {
    const c = n.children as Children;
    const key = this.keyPath(this.tokens(c, 'Identifier'));
    const colon = this.token(c, 'Colon');
    if (realToken(colon)) this.strayColon(key, colon);
    const comparatorToken = this.token(c, 'LessEq') ?? this.token(c, 'Less') ?? this.token(c, 'GreaterEq') ?? this.token(c, 'Greater') ?? this.token(c, 'Equals');
    const comparator = realToken(comparatorToken) ? { op: comparatorToken.image as Comparator, span: this.tokenSpan(comparatorToken) } : undefined;
    const callArgs = this.nodes(c, 'callArgs')[0];
    const exprNode = this.nodes(c, 'expr')[0];
    let value: Expr | undefined;
    if (callArgs) {
      // `key(args)` is shorthand for `key key(args)`: the call is named by the key's last part.
      const callee = key.parts[key.parts.length - 1];
      value = this.call({ ...callee, span: { ...callee.span } }, callArgs);
    } else if (exprNode) {
      value = this.expr(exprNode);
    }
    const modifiers = this.nodes(c, 'modifier').map((m) => this.modifier(m));
    const blockNode = this.nodes(c, 'block')[0];
    const block = blockNode ? this.block(blockNode) : undefined;
    const last = block?.span ?? modifiers[modifiers.length - 1]?.span ?? value?.span ?? comparator?.span ?? key.span;
    const entry: EntryNode = { kind: 'Entry', key, modifiers, span: this.cover(key.span, last) };
    if (comparator) entry.comparator = comparator;
    if (value) entry.value = value;
    if (block) entry.block = block;
    return entry;
  }

  private strayColon(key: KeyPath, colon: IToken): void {
    const name = key.parts.map((p) => p.name).join('.');
    this.diagnostics.push(
      makeDiagnostic(SyntaxCode.unexpectedToken, 'error', `expected a value or \`{\` after \`${name}\`, found \`:\``, {
        span: this.tokenSpan(colon),
        label: 'an entry has no `:` between key and value',
        help: [`write \`${name} value\``],
      }),
    );
  }

  private keyPath(tokens: IToken[]): KeyPath {
    const parts = tokens.map((t) => this.identifier(t));
    if (parts.length === 0) parts.push(this.identifier(undefined));
    return { kind: 'KeyPath', parts, span: this.cover(parts[0].span, parts[parts.length - 1].span) };
  }

  private modifier(n: CstNode): ModifierNode {
    const c = n.children as Children;
    const keywordToken = this.firstToken(c);
    const keyword = (['within', 'on', 'at'].includes(keywordToken?.image ?? '') ? keywordToken!.image : 'within') as ModifierKeyword;
    const keywordSpan = this.tokenSpan(keywordToken);
    const value = this.expr(this.nodes(c, 'expr')[0]);
    return { kind: 'Modifier', keyword, value, span: this.cover(keywordSpan, value.span) };
  }

  private expr(n: CstNode | undefined): Expr {
    if (!n) return this.missingValue();
    const c = n.children as Children;
    const [fromNode, toNode] = this.nodes(c, 'primary');
    const from = this.primary(fromNode);
    if (this.token(c, 'DotDot')) {
      const to = this.primary(toNode);
      return { kind: 'Range', from, to, span: this.cover(from.span, to.span) };
    }
    if (!this.token(c, 'Arrow')) return from;
    const to = this.primary(toNode);
    const stepsToken = this.token(c, 'NumberLit');
    if (this.token(c, 'In') && stepsToken) {
      const steps = this.number(stepsToken);
      const end = this.tokenSpan(this.token(c, 'Steps'));
      return { kind: 'Ramp', from, to, steps, span: this.cover(from.span, end) };
    }
    return { kind: 'Ramp', from, to, span: this.cover(from.span, to.span) };
  }

  private primary(n: CstNode | undefined): Expr {
    if (!n) return this.missingValue();
    const c = n.children as Children;
    const numberToken = this.token(c, 'NumberLit');
    if (numberToken) return this.number(numberToken);
    const stringToken = this.token(c, 'StringLit');
    if (stringToken) return this.string(stringToken);
    const listNode = this.nodes(c, 'list')[0];
    if (listNode) return this.list(listNode);
    const callee = this.identifier(this.token(c, 'Identifier'));
    const callArgs = this.nodes(c, 'callArgs')[0];
    return callArgs ? this.call(callee, callArgs) : callee;
  }

  private call(callee: Identifier, n: CstNode): CallExpr {
    const c = n.children as Children;
    const args = this.nodes(c, 'arg').map((a) => this.arg(a));
    const close = this.tokenSpan(this.token(c, 'RParen'));
    const last = close.length > 0 ? close : (args[args.length - 1]?.span ?? close);
    return { kind: 'Call', callee, args, span: this.cover(callee.span, last) };
  }

  private arg(n: CstNode): ArgNode {
    const c = n.children as Children;
    const nameToken = this.token(c, 'Identifier');
    const name = nameToken ? this.identifier(nameToken) : undefined;
    const value = this.expr(this.nodes(c, 'expr')[0]);
    return { kind: 'Arg', ...(name ? { name } : {}), value, span: this.cover(name?.span ?? value.span, value.span) };
  }

  private list(n: CstNode): ListExpr {
    const c = n.children as Children;
    const open = this.tokenSpan(this.token(c, 'LBracket'));
    const items = this.nodes(c, 'expr').map((e) => this.expr(e));
    const close = this.tokenSpan(this.token(c, 'RBracket'));
    const last = close.length > 0 ? close : (items[items.length - 1]?.span ?? open);
    return { kind: 'List', items, span: this.cover(open, last) };
  }

  private number(t: IToken | undefined): NumberLiteral {
    const span = this.tokenSpan(t);
    const payload = (realToken(t) ? t.payload : undefined) as NumberPayload | undefined;
    if (!realToken(t) || !payload) return { kind: 'Number', value: 0, raw: '', span };
    return { kind: 'Number', value: payload.value, raw: t.image, ...(payload.unit !== undefined ? { unit: payload.unit } : {}), span };
  }

  private string(t: IToken | undefined): StringLiteral {
    const span = this.tokenSpan(t);
    const payload = (realToken(t) ? t.payload : undefined) as StringPayload | undefined;
    return { kind: 'String', value: payload?.value ?? '', span };
  }

  private identifier(t: IToken | undefined): Identifier {
    const span = this.tokenSpan(t);
    return { kind: 'Identifier', name: realToken(t) ? t.image : '', span };
  }

  private missingValue(): Identifier {
    return { kind: 'Identifier', name: '', span: this.missing() };
  }

  private missing(): Span {
    return this.lines.span(this.cursor, this.cursor);
  }

  private tokenSpan(t: IToken | undefined): Span {
    if (!realToken(t)) return this.missing();
    const end = t.startOffset + t.image.length;
    this.cursor = Math.max(this.cursor, end);
    return this.lines.span(t.startOffset, end);
  }

  /** The span from the start of `first` to the end of `last` (a missing part may lie before the other). */
  private cover(first: Span, last: Span): Span {
    const start = first.offset <= last.offset ? first : last;
    const end = first.offset + first.length >= last.offset + last.length ? first : last;
    const endOffset = end.offset + end.length;
    return { file: start.file, offset: start.offset, length: endOffset - start.offset, line: start.line, column: start.column, endLine: end.endLine, endColumn: end.endColumn };
  }

  // A CST child list holds either tokens only or nodes only, under the token's or rule's name.
  private nodes(c: Children, name: string): CstNode[] {
    return (c[name] ?? NONE) as CstNode[];
  }

  private tokens(c: Children, name: string): IToken[] {
    return (c[name] ?? NONE) as IToken[];
  }

  private token(c: Children, name: string): IToken | undefined {
    return c[name]?.[0] as IToken | undefined;
  }

  private firstToken(c: Children): IToken | undefined {
    for (const list of Object.values(c)) for (const e of list ?? []) if (isToken(e)) return e;
    return undefined;
  }
}
