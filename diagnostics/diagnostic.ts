// The diagnostic every layer reports: a stable code, a one-line message with the facts and
// numbers, where it happened, and notes or help where there is something to say or do.
import type { Span } from '../grammar/ast.js';

export type Severity = 'error' | 'warning';

/** A secondary place shown under the primary one ("first defined here"). */
export interface Label {
  span: Span;
  message: string;
}

export interface Diagnostic {
  /** Stable code, `EFT` and four digits; see diagnostics/codes.ts. */
  code: string;
  severity: Severity;
  message: string;
  /** Primary location. Absent only for problems that have no place in a source (an unreadable file). */
  span?: Span;
  /** Text shown under the caret line beside the underline. */
  label?: string;
  related: Label[];
  notes: string[];
  help: string[];
}

export interface DiagnosticInit {
  span?: Span;
  label?: string;
  related?: Label[];
  notes?: string[];
  help?: string[];
}

export function makeDiagnostic(code: string, severity: Severity, message: string, init: DiagnosticInit = {}): Diagnostic {
  return {
    code,
    severity,
    message,
    span: init.span,
    label: init.label,
    related: init.related ?? [],
    notes: init.notes ?? [],
    help: init.help ?? [],
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.span?.offset ?? -1;
    const ob = b.span?.offset ?? -1;
    if (oa !== ob) return oa - ob;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
