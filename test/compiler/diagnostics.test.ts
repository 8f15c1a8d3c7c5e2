import assert from 'node:assert/strict';
import { checkFiles } from '../../compiler/check.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { compareOrUpdate, listFixtures } from '../helpers/fixtures.js';

const FOLDER = 'test/compiler/fixtures';

describe('compiler diagnostics (fixtures)', () => {
  const fixtures = listFixtures(FOLDER);
  it('has fixtures', () => assert.ok(fixtures.length > 0));
  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      it(`reports ${fixture.code} with the pinned text`, async () => {
        const result = await checkFiles([fixture.broken]);
        const text = renderDiagnostics(result.diagnostics, result.texts);
        assert.ok(result.diagnostics.some((d) => d.code === fixture.code), `expected ${fixture.code}, got:\n${text}`);
        assert.equal(text, compareOrUpdate(fixture.expected, text));
      });
      if (fixture.fixed) {
        it('checks clean once fixed', async () => {
          const result = await checkFiles([fixture.fixed!]);
          assert.equal(renderDiagnostics(result.diagnostics, result.texts), '');
        });
      }
    });
  }
});
