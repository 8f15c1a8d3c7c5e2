import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitPlan } from '../../compiler/plan/emit.js';
import { planFileText, withPlanHash } from '../../plan/canonical.js';
import { PlanError } from '../../plan/errors.js';
import { parsePlan, readPlan } from '../../plan/read.js';
import type { Plan } from '../../plan/types.js';
import { deitContext, META } from './contexts.js';

function refusal(run: () => unknown): PlanError {
  try {
    run();
  } catch (err) {
    if (err instanceof PlanError) return err;
    throw err;
  }
  assert.fail('expected a PlanError');
}

describe('reading plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eft-plan-read-'));
  const plan = emitPlan(deitContext(), META);
  const text = planFileText(plan);
  const path = join(dir, 'deit.plan.json');
  writeFileSync(path, text);

  it('reads a compiled plan as it was emitted, without warnings', () => {
    const result = readPlan(path);
    assert.deepEqual(result.plan, plan);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.edited, false);
  });

  it('accepts any layout of the same content (the hash covers content, not bytes)', () => {
    assert.equal(parsePlan(JSON.stringify(plan), 'compact.json').edited, false);
    assert.equal(parsePlan('\uFEFF' + text, 'bom.json').edited, false);
  });

  it('refuses a missing file with the cause', () => {
    const err = refusal(() => readPlan(join(dir, 'nope.plan.json')));
    assert.equal(err.code, 'EFT0410');
    assert.equal(err.message, `${join(dir, 'nope.plan.json')}: cannot read the plan: no such file`);
    assert.deepEqual(err.help, ['plans are written by `eft compile FILE.eft` (into ./plans by default)']);
  });

  it('refuses a directory', () => {
    mkdirSync(join(dir, 'folder.json'));
    const err = refusal(() => readPlan(join(dir, 'folder.json')));
    assert.equal(err.message, `${join(dir, 'folder.json')}: cannot read the plan: it is a directory, not a plan file`);
  });

  it('refuses truncated JSON, naming the line and column where it ends', () => {
    const truncated = text.slice(0, text.indexOf('"budget"') + 10);
    const err = refusal(() => parsePlan(truncated, 'plans/deit.plan.json'));
    assert.equal(err.code, 'EFT0411');
    assert.equal(err.message, 'plans/deit.plan.json:5:13: invalid JSON: unexpected end of file (is the file truncated?)');
    assert.deepEqual(err.position, { line: 5, column: 13 });
  });

  it('refuses invalid JSON, naming the line, column and the problem', () => {
    assert.equal(refusal(() => parsePlan('{\n  "a": 1,\n}\n', 'p.json')).message, "p.json:3:1: invalid JSON: unexpected \"}\", expected a key in double quotes");
    assert.equal(refusal(() => parsePlan('{"a": [1 2]}', 'p.json')).message, "p.json:1:10: invalid JSON: unexpected \"2\", expected ',' or ']' after a value in an array");
    assert.equal(refusal(() => parsePlan('{"a": tru}', 'p.json')).message, 'p.json:1:7: invalid JSON: unexpected "t", expected a value');
    assert.equal(refusal(() => parsePlan('{"a": "x\ny"}', 'p.json')).message, 'p.json:1:9: invalid JSON: unescaped control character in a string');
    assert.equal(refusal(() => parsePlan('{"a": 01}', 'p.json')).message, 'p.json:1:7: invalid JSON: invalid number');
    assert.equal(refusal(() => parsePlan('{} {}', 'p.json')).message, 'p.json:1:4: invalid JSON: unexpected "{" after the end of the JSON value');
    assert.equal(refusal(() => parsePlan('  \n', 'p.json')).message, 'p.json: the file is empty, not a plan');
  });

  it('refuses an unknown plan_version before anything else', () => {
    const newer = refusal(() => parsePlan(JSON.stringify({ ...plan, plan_version: 3, something_new: true }), 'future.plan.json'));
    assert.equal(newer.code, 'EFT0412');
    assert.equal(newer.message, 'future.plan.json: plan_version 3 is not one this eft reads (it reads plan_version 2)');
    assert.deepEqual(newer.help, ['the plan was written by a newer eft: read it with that version, or compile the source again with this one']);
    const older = refusal(() => parsePlan(JSON.stringify({ ...plan, plan_version: 1 }), 'old.plan.json'));
    assert.equal(older.message, 'old.plan.json: plan_version 1 is not one this eft reads (it reads plan_version 2)');
    assert.deepEqual(older.help, ['compile the source again with this eft']);
  });

  it('refuses a plan that breaks the schema, with the pointer, the expectation and what it found', () => {
    const broken = structuredClone(plan) as Plan;
    broken.stages[3].resolution_px = -4;
    broken.stages[4].images = 1.5;
    const err = refusal(() => parsePlan(JSON.stringify(broken), 'plan.json'));
    assert.equal(err.code, 'EFT0413');
    assert.equal(err.message, 'plan.json: /stages/3/resolution_px: expected integer ≥ 1, found -4 (and 1 more problem)');
    assert.deepEqual(
      err.problems.map((p) => p.pointer),
      ['/stages/3/resolution_px', '/stages/4/images'],
    );
  });

  it('refuses a plan whose content was changed after compiling (one number), naming both hashes and what to do', () => {
    const tampered = structuredClone(plan) as Plan;
    tampered.recipe.optimizer.lr = 0.002;
    tampered.schedules.lr.base_lr = 0.002;
    const edited = withPlanHash(tampered).plan_sha256;
    const err = refusal(() => parsePlan(JSON.stringify(tampered), 'plans/deit.plan.json'));
    assert.equal(err.code, 'EFT0415');
    assert.equal(
      err.message,
      `plans/deit.plan.json: the plan's content does not match its plan_sha256: expected ${plan.plan_sha256} (recorded in the plan), found ${edited} (its content)`,
    );
    assert.deepEqual(err.help, [
      'the plan was changed after it was compiled: compile the source again with `eft compile` to get a plan you can trust',
      'or pass --allow-edited to use the edited plan as it is',
    ]);
  });

  it('with allowEdited, accepts the edited plan, re-hashes it and warns', () => {
    const tampered = structuredClone(plan) as Plan;
    tampered.recipe.seed = 7;
    const result = parsePlan(JSON.stringify(tampered), 'plans/deit.plan.json', { allowEdited: true });
    const rehashed = withPlanHash(tampered).plan_sha256;
    assert.equal(result.edited, true);
    assert.equal(result.plan.recipe.seed, 7);
    assert.equal(result.plan.plan_sha256, rehashed);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0].code, 'EFT0416');
    assert.equal(
      result.warnings[0].message,
      `plans/deit.plan.json: the plan was edited after it was compiled (it records plan_sha256 ${plan.plan_sha256}, its content hashes to ${rehashed}); using it as edited, with plan_sha256 ${rehashed}`,
    );
  });

  it('with allowEdited, still refuses an edited plan that contradicts itself', () => {
    const tampered = structuredClone(plan) as Plan;
    tampered.totals.images += 10;
    const err = refusal(() => parsePlan(JSON.stringify(tampered), 'p.json', { allowEdited: true }));
    assert.equal(err.code, 'EFT0414');
    assert.equal(err.message, `p.json: /totals/images: expected ${plan.totals.images} (the sum of the stages' images), found ${plan.totals.images + 10}`);
  });
});
