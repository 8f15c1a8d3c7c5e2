// Writes the "Structure diagnostics" section of docs/language.md from the diagnostic fixtures
// (test/compiler/fixtures): for each code, the wrong file, what `eft check` prints for it, and
// the fixed file. A test checks that the section is up to date; run this after changing a fixture:
//   npx tsx scripts/structure-docs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkFiles } from '../compiler/check.js';
import { STRUCTURE_CODES } from '../diagnostics/codes/structure.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { listFixtures } from '../test/helpers/fixtures.js';

export const DOC = 'docs/language.md';
const HEADING = '## Structure diagnostics';
const FIXTURES = 'test/compiler/fixtures';

export async function structureSection(): Promise<string> {
  const fixtures = listFixtures(FIXTURES);
  const parts = [
    HEADING,
    '',
    'Names, imports, keys and values. Each example is a file of the test suite',
    `(\`${FIXTURES}\`): the wrong file, what \`eft check\` prints for it, and the fix.`,
  ];
  for (const code of STRUCTURE_CODES) {
    const fixture = fixtures.find((f) => f.code === code.code);
    parts.push('', `### ${code.code} ${code.title}`, '');
    if (!fixture) {
      parts.push('(no example)');
      continue;
    }
    const result = await checkFiles([fixture.broken]);
    parts.push('```eft', readFileSync(fixture.broken, 'utf8').trimEnd(), '```', '', '```', renderDiagnostics(result.diagnostics, result.texts).trimEnd(), '```');
    if (fixture.fixed) parts.push('', 'Fixed:', '', '```eft', readFileSync(fixture.fixed, 'utf8').trimEnd(), '```');
  }
  return parts.join('\n') + '\n';
}

/** The doc with its Structure diagnostics section (up to the next `## ` heading or the end) replaced. */
export function replaceSection(doc: string, section: string): string {
  const start = doc.indexOf(`\n${HEADING}\n`);
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(0, start + 1) + section + (next < 0 ? '' : doc.slice(next));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(DOC, 'utf8');
  writeFileSync(DOC, replaceSection(doc, await structureSection()));
  console.log(`${DOC}: structure diagnostics written`);
}
