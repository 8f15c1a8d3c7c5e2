import type { DeclNode, Span } from '../../../grammar/ast.js';
import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { effectiveBody } from '../../merge.js';
import { declarationSchema } from '../../schema.js';
import { missingKeys } from '../../required.js';
import { withDatasetDefaults } from '../../datasets.js';
import type { ProgramRule } from '../rule.js';

/**
 * EFT0112: a required key that an experiment or sweep neither writes nor inherits. Templates
 * may leave out anything: they are never compiled, only extended.
 */
export const rule: ProgramRule = {
  kind: 'program',
  name: 'missing-required',
  codes: ['EFT0112'],
  check(program, report) {
    for (const file of program.files) {
      if (!file.parsed) continue;
      for (const decl of file.ast.decls) {
        if (program.declarations.get(decl.name.name) !== decl) continue;
        if (decl.keyword === 'template') continue;
        const merged = effectiveBody(decl, program.declarations);
        if (!merged) continue;
        const body = withDatasetDefaults(merged);
        const varied = new Set<string>();
        if (decl.keyword === 'sweep') {
          for (const entry of body.entries) {
            if (entry.key.parts[0].name !== 'vary' || !entry.block) continue;
            for (const axis of entry.block.entries) varied.add(axis.key.parts.map((p) => p.name).join('.'));
          }
        }
        for (const m of missingKeys(body, declarationSchema(decl.keyword), '', varied)) {
          report(missingDiagnostic(decl, m.key, m.doc, m.span));
        }
      }
    }
  },
};

function missingDiagnostic(decl: DeclNode, key: string, doc: string, blockSpan: Span) {
  const inOwnBody = blockSpan.offset === decl.body.span.offset && blockSpan.file === decl.body.span.file;
  return makeDiagnostic('EFT0112', 'error', `${decl.keyword} \`${decl.name.name}\` is missing \`${key}\``, {
    span: inOwnBody ? decl.name.span : blockSpan,
    label: `no \`${key}\``,
    notes: [`\`${key}\`: ${doc}`],
    help: [addHelp(key, decl)],
  });
}

function addHelp(key: string, decl: DeclNode): string {
  const dot = key.lastIndexOf('.');
  const where = dot < 0 ? `to \`${decl.name.name}\`` : `to the \`${key.slice(0, dot)}\` block`;
  const base = decl.base ? ` (or to \`${decl.base.name}\`, which it extends)` : '';
  return `add \`${key.slice(dot + 1)} ...\` ${where}${base}`;
}
