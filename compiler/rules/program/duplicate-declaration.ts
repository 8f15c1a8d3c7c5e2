import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import type { ProgramRule } from '../rule.js';

/** EFT0104: two declarations with one name (in one file or across imports). */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'duplicate-declaration',
  codes: ['EFT0104'],
  check(program, report) {
    for (const decl of program.duplicates) {
      const first = program.declarations.get(decl.name.name);
      report(
        makeDiagnostic('EFT0104', 'error', `\`${decl.name.name}\` is declared twice`, {
          span: decl.name.span,
          label: 'declared again here',
          related: first ? [{ span: first.name.span, message: 'first declared here' }] : [],
          help: ['rename one of them: experiments, sweeps and tables share one namespace'],
        }),
      );
    }
  },
};
