// Turns offsets into the spans the AST and diagnostics carry. Only `\n` ends a line, the same
// rule the diagnostic renderer uses, so that a column always points at the character it names.
import type { Span } from './ast.js';

export class LineMap {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Index of the line looked up last: spans are mostly asked for in source order. */
  private hint = 0;

  /** 0-based index of the line holding `offset` (already clamped). */
  private lineIndex(at: number): number {
    const starts = this.starts;
    const h = this.hint;
    if (starts[h] <= at && (h + 1 === starts.length || at < starts[h + 1])) return h;
    if (h + 1 < starts.length && starts[h + 1] <= at && (h + 2 === starts.length || at < starts[h + 2])) return (this.hint = h + 1);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const at = clamp(offset, 0, this.text.length);
    const index = this.lineIndex(at);
    return { line: index + 1, column: at - this.starts[index] + 1 };
  }

  /** The span of the half-open range [start, end), clamped into the text. */
  span(start: number, end: number): Span {
    const from = clamp(start, 0, this.text.length);
    const to = clamp(end, from, this.text.length);
    const a = this.lineIndex(from);
    const column = from - this.starts[a] + 1;
    const b = this.lineIndex(to);
    return { file: this.file, offset: from, length: to - from, line: a + 1, column, endLine: b + 1, endColumn: to - this.starts[b] + 1 };
  }
}

function clamp(n: number, lo: number, hi: number): number {
  if (Number.isNaN(n)) return lo;
  return Math.min(hi, Math.max(lo, n));
}
