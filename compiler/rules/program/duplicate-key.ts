import type { BlockNode } from '../../../grammar/ast.js';
import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { walkDeclaration } from '../../walk.js';
import type { ProgramRule } from '../rule.js';

/** EFT0111: a key written twice in one block (except repeatable keys such as `stage`). */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'duplicate-key',
  codes: ['EFT0111'],
  check(program, report) {
    for (const file of program.files) {
      if (!file.parsed) continue;
      for (const decl of file.ast.decls) {
        const repeatable = new Set<string>();
        walkDeclaration(decl, (visit) => {
          if (visit.kind === 'known' && visit.spec.repeatable) repeatable.add(visit.entry.key.parts.map((p) => p.name).join('.'));
        });
        const checkBlock = (block: BlockNode) => {
          const first = new Map<string, BlockNode['entries'][number]>();
          for (const entry of block.entries) {
            const key = entry.key.parts.map((p) => p.name).join('.');
            const earlier = first.get(key);
            if (earlier && !repeatable.has(key)) {
              report(
                makeDiagnostic('EFT0111', 'error', `\`${key}\` is given twice`, {
                  span: entry.key.span,
                  label: 'given again here',
                  related: [{ span: earlier.key.span, message: 'first given here' }],
                  help: ['remove one of them'],
                }),
              );
            } else if (!earlier) {
              first.set(key, entry);
            }
            if (entry.block) checkBlock(entry.block);
          }
        };
        checkBlock(decl.body);
      }
    }
  },
};
