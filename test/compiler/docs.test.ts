import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC, replaceSection, structureSection } from '../../scripts/structure-docs.js';
import { STRUCTURE_CODES } from '../../diagnostics/codes/structure.js';
import { listFixtures } from '../helpers/fixtures.js';

describe('docs/language.md: structure diagnostics', () => {
  it('has a wrong and a fixed example for every structure code', () => {
    const fixtures = listFixtures('test/compiler/fixtures');
    for (const code of STRUCTURE_CODES) {
      const fixture = fixtures.find((f) => f.code === code.code);
      assert.ok(fixture, `${code.code} has a fixture`);
      assert.ok(fixture.fixed, `${code.code} has a fixed version`);
    }
  });

  it('is up to date with the fixtures (run `npx tsx scripts/structure-docs.ts`)', async () => {
    const doc = readFileSync(DOC, 'utf8');
    assert.equal(doc, replaceSection(doc, await structureSection()));
  });
});
