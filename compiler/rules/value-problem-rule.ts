// Builds a rule that reports one kind of value problem (see compiler/values.ts) in every
// declaration's own entries.
import { makeDiagnostic } from '../../diagnostics/diagnostic.js';
import { entryProblems } from '../entry-problems.js';
import type { ProblemKind } from '../values.js';
import { walkDeclaration } from '../walk.js';
import type { ProgramRule } from './rule.js';

export function valueProblemRule(name: string, code: string, kind: ProblemKind): ProgramRule {
  return {
    kind: 'program',
    name,
    codes: [code],
    check(program, report) {
      for (const file of program.files) {
        if (!file.parsed) continue;
        for (const decl of file.ast.decls) {
          walkDeclaration(decl, (visit) => {
            if (visit.kind !== 'known') return;
            for (const problem of entryProblems(visit.entry, visit.spec)) {
              if (problem.kind !== kind) continue;
              report(makeDiagnostic(code, 'error', problem.message, { span: problem.span, label: problem.label, help: problem.help, related: problem.related }));
            }
          });
        }
      }
    },
  };
}
