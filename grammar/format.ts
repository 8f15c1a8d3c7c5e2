// formatSource: the text of a file in canonical layout, or the syntax errors that prevent it.
import { makeDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import { parse } from './parse.js';
import { print } from './print.js';
import { sameAst } from './strip-spans.js';

export interface FormatResult {
  /** The formatted text; absent when the file has syntax errors. */
  output?: string;
  diagnostics: Diagnostic[];
}

export function formatSource(text: string, file: string): FormatResult {
  const parsed = parse(text, file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  let output: string;
  try {
    output = print(parsed.ast);
  } catch (err) {
    return { diagnostics: [internalError(file, `the printer failed: ${err instanceof Error ? err.message : String(err)}`)] };
  }
  // A formatter must never change what a file means: check before handing the text out.
  const reparsed = parse(output, file);
  if (hasErrors(reparsed.diagnostics) || !sameAst(parsed.ast, reparsed.ast)) {
    return { diagnostics: [internalError(file, 'the formatted text would not mean the same as the file')] };
  }
  return { output, diagnostics: parsed.diagnostics };
}

function internalError(file: string, what: string): Diagnostic {
  return makeDiagnostic(SyntaxCode.internalError, 'error', `internal error while formatting ${file}: ${what}`, {
    notes: ['this is a fault of eft, not of the file; the file was left as it is; please report it with the file attached'],
  });
}
