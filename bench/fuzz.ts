// The grammar's fuzz properties at volume: N cases (default 200,000) of mutated sources, random
// token streams and byte-level inputs. Prints cases per second and every failure (with the seed
// that replays it), writes bench/results/fuzz.json. Exits 1 if any case failed.
// Run: npx tsx bench/fuzz.ts [cases] [seed]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkCase, describeCase, fuzzCases } from '../test/grammar/fuzz-support.js';
import { eftFilesUnder, FIXTURES, REFERENCE_EXAMPLE, repoRoot } from '../test/grammar/support.js';

const cases = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Date.now() % 0x7fffffff);
if (!Number.isInteger(cases) || cases <= 0 || !Number.isInteger(seed)) {
  console.error('usage: bench/fuzz.ts [cases] [seed]');
  process.exit(2);
}

const files = [...eftFilesUnder(join(repoRoot(), 'examples')), join(FIXTURES, 'printer', 'messy.eft')];
const sources = [REFERENCE_EXAMPLE, ...files.map((f) => readFileSync(f, 'utf8'))];

const byKind = new Map<string, { cases: number; ms: number; failures: number }>();
const failures: string[] = [];
let count = 0;
const start = performance.now();
for (const c of fuzzCases(seed, cases, sources, true)) {
  const kind = c.name.replace(/ (at )?\d+$/, '');
  const t0 = performance.now();
  const problem = checkCase(c);
  const stats = byKind.get(kind) ?? { cases: 0, ms: 0, failures: 0 };
  stats.cases++;
  stats.ms += performance.now() - t0;
  if (problem) {
    stats.failures++;
    if (failures.length < 20) failures.push(`${describeCase(c)}\n  => ${problem}`);
  }
  byKind.set(kind, stats);
  count++;
  if (count % 20_000 === 0) console.log(`  ${count} cases, ${failures.length} failures`);
}
const seconds = (performance.now() - start) / 1000;

console.log(`seed ${seed}`);
console.log('kind            cases   ms/case  failures');
for (const [kind, s] of byKind) console.log(`${kind.padEnd(14)} ${String(s.cases).padStart(7)} ${(s.ms / s.cases).toFixed(3).padStart(9)} ${String(s.failures).padStart(9)}`);
const totalFailures = [...byKind.values()].reduce((a, s) => a + s.failures, 0);
console.log(`${count} cases in ${seconds.toFixed(1)} s: ${(count / seconds).toFixed(0)} cases/s, ${totalFailures} failures`);
for (const f of failures) console.log(`FAILURE (seed ${seed}) ${f}`);

const out = join(repoRoot(), 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'fuzz.json'),
  `${JSON.stringify({ node: process.version, seed, cases: count, seconds, casesPerSecond: count / seconds, failures: totalFailures, byKind: Object.fromEntries(byKind), firstFailures: failures }, null, 2)}\n`,
);
if (totalFailures > 0) process.exitCode = 1;
