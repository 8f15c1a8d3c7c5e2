// Decides where each comment goes when a file is printed. Comments live in containers that the
// printer lays out one item per line: the file, blocks, and (when broken) lists and call
// arguments. In a container a comment is
//   - trailing: on the same line as the end of the item before it, printed at the end of that line;
//   - open: on the opening bracket's line before the first item, printed after the bracket;
//   - leading: on its own line before an item, printed on its own line before it;
//   - dangling: after the last item, printed before the closing bracket (or at the end of the file).
// A comment inside an item but outside any nested container (`model # x` NEWLINE `deit_small`)
// cannot stay where it is once the item is printed on one line; it moves before the item.
import type { BlockNode, CallExpr, Comment, Expr, FileNode, ListExpr, Node, Span } from './ast.js';

export interface LeadingComment {
  comment: Comment;
  /** Moved out of the inside of the item it now precedes. */
  moved: boolean;
}

export interface CommentPlacement {
  leading: Map<Node, LeadingComment[]>;
  trailing: Map<Node, Comment>;
  open: Map<Node, Comment>;
  dangling: Map<Node, Comment[]>;
}

type Container = FileNode | BlockNode | ListExpr | CallExpr;

export function placeComments(file: FileNode): CommentPlacement {
  const placement: CommentPlacement = { leading: new Map(), trailing: new Map(), open: new Map(), dangling: new Map() };
  const comments = [...file.comments].sort((a, b) => a.span.offset - b.span.offset);
  const children = new Map<Container, Node[]>();
  const childrenOfCached = (container: Container) => {
    let list = children.get(container);
    if (!list) children.set(container, (list = childrenOf(container)));
    return list;
  };
  for (const comment of comments) place(placement, file, comment, childrenOfCached);
  return placement;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function end(span: Span): number {
  return span.offset + span.length;
}

function inside(span: Span, offset: number): boolean {
  return span.offset < offset && offset < end(span);
}

function childrenOf(container: Container): Node[] {
  switch (container.kind) {
    case 'File':
      return [...container.imports, ...container.decls].sort((a, b) => a.span.offset - b.span.offset);
    case 'Block':
      return container.entries;
    case 'List':
      return container.items;
    case 'Call':
      return container.args;
  }
}

/** The line a container opens on, or undefined for the file. */
function openerLine(container: Container): number | undefined {
  switch (container.kind) {
    case 'File':
      return undefined;
    case 'Block':
    case 'List':
      return container.span.line;
    case 'Call':
      return container.callee.span.endLine;
  }
}

function place(placement: CommentPlacement, container: Container, comment: Comment, childrenOf: (c: Container) => Node[]): void {
  const offset = comment.span.offset;
  const children = childrenOf(container);
  const i = lastStartingBefore(children, offset);
  const candidate = i >= 0 ? children[i] : undefined;
  if (candidate && end(candidate.span) > offset) {
    const nested = innermostContainer(candidate, offset);
    if (nested) place(placement, nested, comment, childrenOf);
    else push(placement.leading, candidate, { comment, moved: true });
    return;
  }
  const before = candidate;
  const after = children[i + 1];
  if (before && before.span.endLine === comment.span.line) placement.trailing.set(before, comment);
  else if (!before && openerLine(container) === comment.span.line) placement.open.set(container, comment);
  else if (after) push(placement.leading, after, { comment, moved: false });
  else push(placement.dangling, container, comment);
}

/** Index of the last child that starts before `offset` (children are in source order), or -1. */
function lastStartingBefore(children: readonly Node[], offset: number): number {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (children[mid].span.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The innermost block, list or call inside `node` whose brackets enclose `offset`. */
function innermostContainer(node: Node, offset: number): Container | undefined {
  switch (node.kind) {
    case 'Import':
      return undefined;
    case 'Decl':
      return inside(node.body.span, offset) ? node.body : undefined;
    case 'Entry': {
      if (node.block && inside(node.block.span, offset)) return node.block;
      const parts: Expr[] = [...(node.value ? [node.value] : []), ...node.modifiers.map((m) => m.value)];
      for (const part of parts) {
        const found = containerInExpr(part, offset);
        if (found) return found;
      }
      return undefined;
    }
    case 'Arg':
      return containerInExpr(node.value, offset);
    default:
      return containerInExpr(node as Expr, offset);
  }
}

function containerInExpr(expr: Expr, offset: number): Container | undefined {
  switch (expr.kind) {
    case 'List':
      return inside(expr.span, offset) ? expr : undefined;
    case 'Call':
      return offset >= end(expr.callee.span) && inside(expr.span, offset) ? expr : undefined;
    case 'Range':
    case 'Ramp':
      return containerInExpr(expr.from, offset) ?? containerInExpr(expr.to, offset);
    default:
      return undefined;
  }
}

/** Whether any comment lies strictly inside `span` (then the construct cannot be printed on one line). */
export function hasCommentInside(comments: readonly Comment[], span: Span): boolean {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].span.offset <= span.offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < comments.length && comments[lo].span.offset < end(span);
}
