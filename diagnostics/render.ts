// Renders diagnostics the way rustc does: a header with the code, the location, the source
// line with the span underlined, then notes and help. Colour only when asked (on a TTY).
import type { Span } from '../grammar/ast.js';
import type { Diagnostic } from './diagnostic.js';

/** The text of each source file by the name its spans use. */
export type SourceTexts = ReadonlyMap<string, string>;

export interface RenderOptions {
  color?: boolean;
}

const ANSI = {
  red: '\x1b[1;31m',
  yellow: '\x1b[1;33m',
  blue: '\x1b[1;34m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

function paint(color: boolean, style: keyof typeof ANSI, text: string): string {
  return color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}

function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** Replaces tabs and control characters so that carets line up under the text they point at. */
function printable(line: string): string {
  return line.replace(/[\t\x00-\x1f\x7f]/g, (c) => (c === '\t' ? ' ' : '?'));
}

function snippet(span: Span, label: string | undefined, texts: SourceTexts, gutter: number, color: boolean, style: 'red' | 'yellow' | 'blue'): string[] {
  const text = texts.get(span.file);
  if (text === undefined) return [];
  const source = printable(lineOf(text, span.line));
  const start = Math.min(span.column - 1, source.length);
  const lastColumn = span.endLine === span.line ? span.endColumn - 1 : source.length;
  const width = Math.max(1, Math.min(lastColumn, source.length) - start);
  const pad = ' '.repeat(gutter);
  const num = String(span.line).padStart(gutter);
  const bar = paint(color, 'blue', '|');
  const marker = paint(color, style, '^'.repeat(width) + (label ? ` ${label}` : ''));
  return [`${pad} ${bar}`, `${paint(color, 'blue', num)} ${bar} ${source}`, `${pad} ${bar} ${' '.repeat(start)}${marker}`];
}

export function renderDiagnostic(d: Diagnostic, texts: SourceTexts, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const style = d.severity === 'error' ? 'red' : 'yellow';
  const out: string[] = [`${paint(color, style, `${d.severity}[${d.code}]`)}${paint(color, 'bold', `: ${d.message}`)}`];
  const spans = [d.span, ...d.related.map((r) => r.span)].filter((s): s is Span => s !== undefined);
  const gutter = Math.max(1, ...spans.map((s) => String(s.line).length));
  const pad = ' '.repeat(gutter);
  if (d.span) {
    out.push(`${pad}${paint(color, 'blue', '-->')} ${d.span.file}:${d.span.line}:${d.span.column}`);
    out.push(...snippet(d.span, d.label, texts, gutter, color, style));
  }
  for (const r of d.related) {
    out.push(`${pad}${paint(color, 'blue', '::')} ${r.span.file}:${r.span.line}:${r.span.column}`);
    out.push(...snippet(r.span, r.message, texts, gutter, color, 'blue'));
  }
  const bar = paint(color, 'blue', '=');
  for (const n of d.notes) out.push(`${pad} ${bar} ${paint(color, 'bold', 'note')}: ${n}`);
  for (const h of d.help) out.push(`${pad} ${bar} ${paint(color, 'bold', 'help')}: ${h}`);
  return out.join('\n');
}

/** All diagnostics, a blank line between them, then a summary line ("2 errors, 1 warning"). */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], texts: SourceTexts, options: RenderOptions = {}): string {
  if (diagnostics.length === 0) return '';
  const parts = diagnostics.map((d) => renderDiagnostic(d, texts, options));
  parts.push(summaryLine(diagnostics));
  return parts.join('\n\n') + '\n';
}

export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}

/** The machine-readable form printed by `--json`. */
export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  const loc = (s: Span) => ({ file: s.file, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, offset: s.offset, length: s.length });
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.span ? { location: loc(d.span) } : {}),
    ...(d.label ? { label: d.label } : {}),
    related: d.related.map((r) => ({ message: r.message, location: loc(r.span) })),
    notes: d.notes,
    help: d.help,
  };
}
