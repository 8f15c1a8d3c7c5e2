import assert from 'node:assert/strict';
import { BUDGET_CODES } from '../../diagnostics/codes/budget.js';
import { describeFixtures, listFixtures } from '../helpers/fixtures.js';

const FOLDER = 'test/curricula/fixtures';

/** Codes no source can reach: the structural range checks (EFT0115) catch written RandAugment values first. */
const UNREACHABLE_FROM_SOURCE = new Set(['EFT0306']);

describe('budget diagnostics (fixtures)', () => {
  const fixtures = listFixtures(FOLDER);
  it('has a wrong and a fixed example for every budget code a source can reach', () => {
    const covered = new Set(fixtures.filter((f) => f.fixed).map((f) => f.code));
    assert.deepEqual(BUDGET_CODES.map((c) => c.code).filter((c) => !covered.has(c) && !UNREACHABLE_FROM_SOURCE.has(c)), []);
  });
  describeFixtures(FOLDER);
});
