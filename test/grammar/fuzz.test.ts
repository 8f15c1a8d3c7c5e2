// Grammar fuzzing: mutated sources, random token streams, every truncation of one file, deep
// nesting, extreme numbers, invalid UTF-8, empty and binary files. Properties: nothing throws,
// every diagnostic points inside the text, no infinite number reaches the AST, and formatting
// (when the file is valid) is idempotent and re-parses without errors.
// Replay a failure with EFT_FUZZ_SEED=<seed printed in the failure>.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCase, describeCase, fuzzCases } from './fuzz-support.js';
import { eftFilesUnder, FIXTURES, REFERENCE_EXAMPLE, repoRoot } from './support.js';

const SEED = Number(process.env.EFT_FUZZ_SEED ?? 0x5eed);
const RANDOM_CASES = 9_000;

function seedSources(): string[] {
  const files = [...eftFilesUnder(join(repoRoot(), 'examples')), join(FIXTURES, 'printer', 'messy.eft')];
  return [REFERENCE_EXAMPLE, ...files.map((f) => readFileSync(f, 'utf8'))];
}

describe('grammar: fuzz', function () {
  this.timeout(120_000);

  it(`holds its properties on ${RANDOM_CASES} random cases plus every truncation and edge case (seed ${SEED})`, () => {
    let count = 0;
    const failures: string[] = [];
    for (const c of fuzzCases(SEED, RANDOM_CASES, seedSources(), true)) {
      count++;
      const problem = checkCase(c);
      if (problem && failures.length < 5) failures.push(`${describeCase(c)}\n  => ${problem}`);
    }
    assert.ok(count >= 10_000, `only ${count} cases`);
    assert.deepEqual(failures, [], `fuzz failures with EFT_FUZZ_SEED=${SEED}`);
  });
});
