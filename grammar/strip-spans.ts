// The AST without source positions, to compare what two texts mean regardless of layout.
import type { FileNode } from './ast.js';

/** A deep copy of `node` with every `span` removed. */
export function stripSpans<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'span' ? undefined : value))) as T;
}

/** Whether two files hold the same declarations, values and comments, wherever they stand. */
export function sameAst(a: FileNode, b: FileNode): boolean {
  return equalIgnoringSpans(a, b);
}

function equalIgnoringSpans(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalIgnoringSpans(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((k) => k !== 'span' && x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => k !== 'span' && y[k] !== undefined).length) return false;
  for (const k of keys) if (!equalIgnoringSpans(x[k], y[k])) return false;
  return true;
}
