// Printing for commands: diagnostics (rustc-style on a terminal, JSON for machines) and the
// exit code that goes with them.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticToJson, renderDiagnostics, type SourceTexts } from '../diagnostics/render.js';

/** Colour when the stream is a terminal and NO_COLOR is not set. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** Prints diagnostics on stderr and sets exit code 1 when any is an error. Returns whether there were errors. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[], texts: SourceTexts): boolean {
  if (diagnostics.length > 0) process.stderr.write(renderDiagnostics(diagnostics, texts, { color: useColor(process.stderr) }));
  const failed = diagnostics.some((d) => d.severity === 'error');
  if (failed) process.exitCode = 1;
  return failed;
}

export function diagnosticsJson(diagnostics: readonly Diagnostic[]): unknown[] {
  return diagnostics.map(diagnosticToJson);
}

/** A usage or I/O problem: a one-line message on stderr and exit code 2. */
export function reportUsageError(message: string): void {
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 2;
}
