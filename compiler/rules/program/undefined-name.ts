import type { DeclNode, Identifier } from '../../../grammar/ast.js';
import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { didYouMean } from '../../../diagnostics/suggest.js';
import type { ProgramRule } from '../rule.js';

/** EFT0105: `extends` or a table row naming a declaration that does not exist, or one of the wrong kind. */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'undefined-name',
  codes: ['EFT0105'],
  check(program, report) {
    const names = [...program.declarations.keys()];
    const lookup = (ref: Identifier, allowed: DeclNode['keyword'][], what: string) => {
      const target = program.declarations.get(ref.name);
      if (!target) {
        report(
          makeDiagnostic('EFT0105', 'error', `no ${what} named \`${ref.name}\``, {
            span: ref.span,
            label: 'not declared',
            help: [...didYouMean(ref.name, names), 'declare it, or import the file that declares it'],
          }),
        );
      } else if (!allowed.includes(target.keyword)) {
        report(
          makeDiagnostic('EFT0105', 'error', `\`${ref.name}\` is a ${target.keyword}, not ${allowed.length === 1 ? `an ${allowed[0]}` : `an ${allowed.join(' or a ')}`}`, {
            span: ref.span,
            label: `expected ${what}`,
            related: [{ span: target.name.span, message: `declared as a ${target.keyword} here` }],
          }),
        );
      }
    };
    for (const file of program.files) {
      if (!file.parsed) continue;
      for (const decl of file.ast.decls) {
        if (decl.base) lookup(decl.base, ['experiment', 'template'], 'experiment or template');
        if (decl.keyword !== 'table') continue;
        for (const entry of decl.body.entries) {
          if (entry.key.parts.length !== 1 || entry.key.parts[0].name !== 'rows' || entry.value?.kind !== 'List') continue;
          for (const item of entry.value.items) {
            if (item.kind === 'Identifier') lookup(item, ['experiment', 'sweep'], 'experiment or sweep');
          }
        }
      }
    }
  },
};
