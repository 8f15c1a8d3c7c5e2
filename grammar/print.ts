// The formatter's printer: one canonical layout for every AST. Two-space indentation, one entry
// per line, blocks open on their key's line; short blocks, lists and calls stay on one line when
// they fit in WIDTH columns. Comments are kept (see comments.ts for where each one goes) and at
// most one blank line survives wherever the source had some between entries or declarations.
import type { ArgNode, BlockNode, CallExpr, Comment, DeclNode, EntryNode, Expr, FileNode, ImportNode, ListExpr, Node } from './ast.js';
import { placeComments, hasCommentInside, type CommentPlacement } from './comments.js';
import { blankline, concat, group, hardline, ifBreak, indent, join, layout, line, lineSuffix, softline, type Doc } from './doc.js';

export const WIDTH = 100;

/** The most entries a block may have to be printed on one line. */
const INLINE_BLOCK_ENTRIES = 4;

export function print(ast: FileNode): string {
  const text = layout(new Printer(ast).file(), WIDTH);
  return text.length > 0 ? `${text}\n` : '';
}

interface Item {
  doc: Doc;
  startLine: number;
  endLine: number;
  forceBlank?: boolean;
}

/** Items one per line; a blank line where the source had one (or where one is required). */
function sequence(items: readonly Item[]): Doc {
  const parts: Doc[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(item.forceBlank || item.startLine > items[i - 1].endLine + 1 ? blankline : hardline);
    parts.push(item.doc);
  });
  return concat(parts);
}

function trailingText(comment: Comment): string {
  return `  ${comment.text}`;
}

class Printer {
  private readonly placement: CommentPlacement;
  private readonly comments: Comment[];

  constructor(private readonly ast: FileNode) {
    this.placement = placeComments(ast);
    this.comments = [...ast.comments].sort((a, b) => a.span.offset - b.span.offset);
  }

  file(): Doc {
    const items: Item[] = [];
    const nodes = [...this.ast.imports, ...this.ast.decls].sort((a, b) => a.span.offset - b.span.offset);
    for (const node of nodes) {
      const nodeItems = this.itemsOf(node, node.kind === 'Import' ? this.importDecl(node) : this.decl(node));
      // Declarations are always set apart by one blank line, from each other and from the imports.
      if (node.kind === 'Decl' && items.length > 0) nodeItems[0].forceBlank = true;
      items.push(...nodeItems);
    }
    items.push(...this.danglingItems(this.ast));
    return sequence(items);
  }

  /** The node's own-line comments, then the node with its end-of-line comment. */
  private itemsOf(node: Node, doc: Doc): Item[] {
    const items: Item[] = (this.placement.leading.get(node) ?? []).map(({ comment, moved }) => {
      const at = moved ? node.span.line : comment.span.line;
      return { doc: comment.text, startLine: at, endLine: at };
    });
    const trailing = this.placement.trailing.get(node);
    items.push({ doc: trailing ? concat([doc, lineSuffix(trailingText(trailing))]) : doc, startLine: node.span.line, endLine: node.span.endLine });
    return items;
  }

  private danglingItems(container: Node): Item[] {
    return (this.placement.dangling.get(container) ?? []).map((c) => ({ doc: c.text, startLine: c.span.line, endLine: c.span.line }));
  }

  private importDecl(node: ImportNode): Doc {
    return concat(['import ', quote(node.path.value)]);
  }

  private decl(node: DeclNode): Doc {
    const head = `${node.keyword} ${node.name.name}${node.base ? ` extends ${node.base.name}` : ''} `;
    return concat([head, this.block(node.body, true)]);
  }

  private block(block: BlockNode, alwaysBroken: boolean): Doc {
    const open = this.placement.open.get(block);
    const dangling = this.danglingItems(block);
    if (block.entries.length === 0 && !open && dangling.length === 0) return '{}';
    const openDoc = open ? lineSuffix(trailingText(open)) : '';
    const short =
      !alwaysBroken &&
      block.entries.length <= INLINE_BLOCK_ENTRIES &&
      block.entries.every((e) => !e.block) &&
      !hasCommentInside(this.comments, block.span);
    if (short) {
      const entries = join(line('  '), block.entries.map((e) => this.entry(e)));
      return group(concat(['{', indent(concat([line(' '), ...entries])), line(' '), '}']));
    }
    const items = [...block.entries.flatMap((e) => this.itemsOf(e, this.entry(e))), ...dangling];
    if (items.length === 0) return concat(['{', openDoc, hardline, '}']);
    return concat(['{', openDoc, indent(concat([hardline, sequence(items)])), hardline, '}']);
  }

  private entry(entry: EntryNode): Doc {
    const parts: Doc[] = [entry.key.parts.map((p) => p.name).join('.')];
    const value = entry.value;
    if (value && isShorthand(entry, value)) {
      parts.push(this.args(value));
    } else {
      if (entry.comparator) parts.push(` ${entry.comparator.op}`);
      if (value) parts.push(' ', this.expr(value));
    }
    for (const m of entry.modifiers) parts.push(` ${m.keyword} `, this.expr(m.value));
    if (entry.block) parts.push(' ', this.block(entry.block, false));
    return concat(parts);
  }

  private expr(expr: Expr): Doc {
    switch (expr.kind) {
      case 'Number':
        return expr.raw;
      case 'String':
        return quote(expr.value);
      case 'Identifier':
        return expr.name;
      case 'Call':
        return concat([expr.callee.name, this.args(expr)]);
      case 'List':
        return this.delimited('[', ']', expr, expr.items, (item) => this.expr(item));
      case 'Range':
        return concat([this.expr(expr.from), ' .. ', this.expr(expr.to)]);
      case 'Ramp':
        return concat([this.expr(expr.from), ' -> ', this.expr(expr.to), expr.steps ? ` in ${expr.steps.raw} steps` : '']);
    }
  }

  private args(call: CallExpr): Doc {
    return this.delimited('(', ')', call, call.args, (arg: ArgNode) => (arg.name ? concat([arg.name.name, ': ', this.expr(arg.value)]) : this.expr(arg.value)));
  }

  /** `[a, b]` on one line when it fits and holds no comment, else one item per line with a trailing comma. */
  private delimited<T extends Node>(open: string, close: string, container: ListExpr | CallExpr, children: readonly T[], show: (child: T) => Doc): Doc {
    const openComment = this.placement.open.get(container);
    const dangling = this.placement.dangling.get(container) ?? [];
    if (children.length === 0 && !openComment && dangling.length === 0) return `${open}${close}`;
    const inner: Doc[] = [];
    children.forEach((child, i) => {
      inner.push(i === 0 ? softline : line(' '));
      for (const { comment } of this.placement.leading.get(child) ?? []) inner.push(comment.text, hardline);
      inner.push(show(child), i < children.length - 1 ? ',' : ifBreak(','));
      const trailing = this.placement.trailing.get(child);
      if (trailing) inner.push(lineSuffix(trailingText(trailing)));
    });
    for (const comment of dangling) inner.push(hardline, comment.text);
    return group(concat([open, openComment ? lineSuffix(trailingText(openComment)) : '', indent(concat(inner)), softline, close]));
  }
}

/** `key(args)` stands for `key key(args)`; print the short form whenever the AST allows it. */
function isShorthand(entry: EntryNode, value: Expr): value is CallExpr {
  return value.kind === 'Call' && !entry.comparator && value.callee.name === entry.key.parts[entry.key.parts.length - 1].name;
}

/** A string literal that reads back as `value`. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16).toUpperCase()}}`;
    else out += ch;
  }
  return `${out}"`;
}
