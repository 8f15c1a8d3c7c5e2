// The compiler's front half as commands use it: a file that cannot be read is a usage or
// I/O problem (exit 2), reported here; everything else comes back as diagnostics.
import type { CheckResult } from '../compiler/check.js';
import { reportUsageError } from './output.js';

export async function checkSources(files: readonly string[], root: string | undefined): Promise<CheckResult | undefined> {
  const { checkFiles } = await import('../compiler/check.js');
  const { InputError } = await import('../compiler/program.js');
  try {
    return await checkFiles(files, { root });
  } catch (err) {
    if (err instanceof InputError) {
      reportUsageError(err.message);
      return undefined;
    }
    throw err;
  }
}
