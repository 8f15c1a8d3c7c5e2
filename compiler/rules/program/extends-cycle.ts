import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import type { ProgramRule } from '../rule.js';

/** EFT0106: a chain of `extends` that comes back to where it started. */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'extends-cycle',
  codes: ['EFT0106'],
  check(program, report) {
    const reported = new Set<string>();
    for (const decl of program.declarations.values()) {
      const chain: string[] = [decl.name.name];
      let current = decl;
      while (current.base) {
        const next = program.declarations.get(current.base.name);
        if (!next) break;
        if (next === decl) {
          const members = [...chain].sort().join(',');
          if (!reported.has(members)) {
            reported.add(members);
            report(
              makeDiagnostic('EFT0106', 'error', `\`${decl.name.name}\` extends itself: ${[...chain, decl.name.name].join(' → ')}`, {
                span: decl.base!.span,
                label: 'cycle starts here',
                help: ['an experiment may extend another only if that one does not lead back to it'],
              }),
            );
          }
          break;
        }
        if (chain.includes(next.name.name)) break; // a cycle further along, reported from its own members
        chain.push(next.name.name);
        current = next;
      }
    }
  },
};
