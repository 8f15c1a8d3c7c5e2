import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePlan, readPlan } from '../../plan/read.js';
import { planFileText, sortedJsonValue } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import { PLAN_CODES } from '../../diagnostics/codes/plan.js';
import { runCommand } from './run-command.js';

// docs/plan.md shows real output: every fenced block after a `<!-- generated: ... -->` marker
// is what eft prints or writes for examples/quickstart.eft today. This test regenerates them
// and compares; EFT_UPDATE_FIXTURES=1 writes them into the document instead.
const DOC = 'docs/plan.md';
const MARKED_BLOCK = /(<!-- generated: ([^>]*?) -->\n```(?:json)?\n)([\s\S]*?)(```)/g;

function pretty(value: unknown): string {
  return JSON.stringify(sortedJsonValue(value), null, 2);
}

function lookup(plan: Plan, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], plan);
}

async function generatedBlocks(): Promise<Map<string, string>> {
  const cwd = mkdtempSync(join(tmpdir(), 'eft-plan-docs-'));
  const compile = await runCommand(['compile', resolve('examples/quickstart.eft')], cwd);
  assert.equal(compile.code, 0, compile.stderr);
  const diffArgs = ['plans/fmnist_baseline.plan.json', 'plans/fmnist_etpp.plan.json'];
  const diff = await runCommand(['plan', 'diff', ...diffArgs], cwd);
  const plan = readPlan(join(cwd, 'plans', 'fmnist_etpp.plan.json')).plan;
  const blocks = new Map<string, string>();
  blocks.set('compile', `$ eft compile examples/quickstart.eft\n${compile.stdout}`);
  blocks.set('diff', `$ eft plan diff ${diffArgs.join(' ')}\n${diff.stdout}`);
  blocks.set('plan', planFileText(plan));
  blocks.set('stage 1', `"stages": [\n  ${pretty(plan.stages[0]).replace(/\n/g, '\n  ')},\n  …\n]\n`);
  for (const keys of ['source compiler_version plan_version plan_sha256', 'dataset baseline budget', 'recipe schedules.lr', 'totals evaluation']) {
    const parts = keys.split(' ').map((path) => `"${path.split('.').pop()}": ${pretty(lookup(plan, path))}`);
    blocks.set(`keys ${keys}`, parts.join(',\n') + '\n');
  }
  return blocks;
}

describe('docs/plan.md', function () {
  this.timeout(60_000);

  it('shows what eft prints and writes for the quick start, as it is today', async () => {
    const doc = readFileSync(DOC, 'utf8');
    const blocks = await generatedBlocks();
    const markers = [...doc.matchAll(MARKED_BLOCK)].map((m) => m[2]);
    assert.deepEqual([...markers].sort(), [...blocks.keys()].sort());
    const regenerated = doc.replace(MARKED_BLOCK, (_all, open: string, marker: string, _body: string, close: string) => `${open}${blocks.get(marker)}${close}`);
    if (process.env.EFT_UPDATE_FIXTURES === '1') writeFileSync(DOC, regenerated);
    assert.equal(readFileSync(DOC, 'utf8'), regenerated, 'docs/plan.md is out of date: run the tests with EFT_UPDATE_FIXTURES=1');
  });

  it('shows a whole plan that reads without --allow-edited', () => {
    const doc = readFileSync(DOC, 'utf8');
    const block = /<!-- generated: plan -->\n```json\n([\s\S]*?)```/.exec(doc);
    assert.ok(block);
    const { plan, edited } = parsePlan(block[1], DOC);
    assert.equal(edited, false);
    assert.equal(plan.source.file, 'examples/quickstart.eft');
  });

  it('documents every plan code', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const { code } of PLAN_CODES) assert.ok(doc.includes(code), `${code} is not in ${DOC}`);
  });
});
