import assert from 'node:assert/strict';
import { describeFixtures, listFixtures } from '../helpers/fixtures.js';

const FOLDER = 'test/compiler/fixtures';

describe('compiler diagnostics (fixtures)', () => {
  it('has fixtures', () => assert.ok(listFixtures(FOLDER).length > 0));
  describeFixtures(FOLDER);
});
