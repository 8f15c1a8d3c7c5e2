import assert from 'node:assert/strict';
import { checkFiles } from '../../compiler/check.js';
import { BUDGET_CODES } from '../../diagnostics/codes/budget.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { compareOrUpdate, listFixtures } from '../helpers/fixtures.js';

const FOLDER = 'test/curricula/fixtures';

/** Codes no source can reach: the structural range checks (EFT0115) catch written RandAugment values first. */
const UNREACHABLE_FROM_SOURCE = new Set(['EFT0306']);

describe('budget diagnostics (fixtures)', () => {
  const fixtures = listFixtures(FOLDER);
  it('has a wrong and a fixed example for every budget code a source can reach', () => {
    const covered = new Set(fixtures.filter((f) => f.fixed).map((f) => f.code));
    assert.deepEqual(BUDGET_CODES.map((c) => c.code).filter((c) => !covered.has(c) && !UNREACHABLE_FROM_SOURCE.has(c)), []);
  });
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
