import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { didYouMean } from '../../../diagnostics/suggest.js';
import { walkDeclaration } from '../../walk.js';
import type { ProgramRule } from '../rule.js';

/** EFT0110: a key that its block does not have. */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'unknown-key',
  codes: ['EFT0110'],
  check(program, report) {
    for (const file of program.files) {
      if (!file.parsed) continue;
      for (const decl of file.ast.decls) {
        walkDeclaration(decl, (visit) => {
          if (visit.kind !== 'unknown') return;
          const known = visit.known.map((k) => `\`${k}\``).join(', ');
          report(
            makeDiagnostic('EFT0110', 'error', `unknown key \`${visit.part.name}\` in ${visit.where}`, {
              span: visit.part.span,
              label: 'unknown key',
              help: [...didYouMean(visit.part.name, visit.known), ...(known ? [`keys here are ${known}`] : [])],
            }),
          );
        });
      }
    }
  },
};
