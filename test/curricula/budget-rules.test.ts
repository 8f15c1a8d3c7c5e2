import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import type { ExperimentDef } from '../../compiler/experiment.js';
import type { ExperimentRule } from '../../compiler/rules/rule.js';
import { rule as curriculumName } from '../../compiler/rules/experiment/curriculum-name.js';
import { rule as curriculumArguments } from '../../compiler/rules/experiment/curriculum-arguments.js';
import { rule as declaredSpeedup } from '../../compiler/rules/experiment/declared-speedup.js';
import { rule as declaredEpochs } from '../../compiler/rules/experiment/declared-equivalent-epochs.js';
import { rule as stageShare } from '../../compiler/rules/experiment/stage-share.js';
import { rule as hardwareProfile } from '../../compiler/rules/experiment/hardware-profile.js';
import { rule as deviceHoursRule } from '../../compiler/rules/experiment/device-hours.js';
import { rule as wallTime } from '../../compiler/rules/experiment/wall-time.js';
import { rule as loaderBound } from '../../compiler/rules/experiment/loader-bound.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { at, custom, experiment, library, limit, rangeStage, realCost, specOf } from './helpers.js';

function run(rule: ExperimentRule, exp: ExperimentDef, model = 'resnet50'): Diagnostic[] {
  const { schedule } = expandCurriculum(exp, realCost(model, exp.dataset.resolution.value));
  const found: Diagnostic[] = [];
  rule.check({ experiment: exp, spec: specOf(model, exp.dataset.resolution.value), schedule }, (d) => found.push(d));
  return found;
}

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}[${d.code}] ${d.message}`);

describe('budget rules', () => {
  it('EFT0301: an unknown curriculum, with did-you-mean', () => {
    const found = run(curriculumName, experiment({ curriculum: library('efficienttrain_plus') }));
    assert.deepEqual(summary(found), ['error[EFT0301] unknown curriculum `efficienttrain_plus`']);
    assert.equal(found[0].help[0], 'did you mean `efficienttrain_pp`?');
  });

  describe('EFT0302: curriculum arguments', () => {
    const check = (name: string, args: Record<string, number | string>) => run(curriculumArguments, experiment({ curriculum: library(name, args) }));
    it('an unknown argument, with did-you-mean and the list of arguments', () => {
      const found = check('efficienttrain_pp', { famly: 'deit' });
      assert.deepEqual(summary(found), ['error[EFT0302] `efficienttrain_pp` has no argument `famly`']);
      assert.deepEqual(found[0].help, ['did you mean `family`?', 'the arguments of `efficienttrain_pp` are `family`, `equivalent_epochs`, `speedup`']);
    });
    it("another curriculum's argument names that curriculum", () => {
      const found = check('linear_ramp', { min_res: 96 });
      assert.deepEqual(found[0].notes, ['`min_res` is an argument of `ffcv_ramp`']);
    });
    it('an unknown family', () => {
      const found = check('efficienttrain_pp', { family: 'deiT2' });
      assert.deepEqual(summary(found), ['error[EFT0302] argument `family` of `efficienttrain_pp` must be one of `default`, `deit`, `convnext`, not `deiT2`']);
      assert.equal(found[0].help[0], 'did you mean `deit`?');
    });
    it('a value out of range, in its own unit', () => {
      assert.deepEqual(summary(check('linear_ramp', { initial_scale: 0 })), ['error[EFT0302] argument `initial_scale` of `linear_ramp` is 0%, but it must be more than 0% and at most 100%']);
      assert.deepEqual(summary(check('ffcv_ramp', { step: 2.5 })), ['error[EFT0302] argument `step` of `ffcv_ramp` must be a whole number, found 2.5px']);
    });
    it('a name where a number goes', () => {
      assert.deepEqual(summary(check('efficienttrain', { epochs: 'many' })), ['error[EFT0302] argument `epochs` of `efficienttrain` takes a number, not `many`']);
    });
    it('a budget given twice', () => {
      assert.deepEqual(summary(check('efficienttrain_pp', { equivalent_epochs: 200, speedup: 1.5 })), [
        'error[EFT0302] `efficienttrain_pp` takes its budget once: give `equivalent_epochs` or `speedup`, not both',
      ]);
    });
  });

  describe('EFT0310: declared speedup', () => {
    it('states the declared and computed speedups and the tolerance, with the per-stage totals', () => {
      const exp = experiment({ curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }), budget: { speedup: at(2) } });
      const found = run(declaredSpeedup, exp);
      assert.deepEqual(summary(found), ['error[EFT0310] declared speedup 2.00x but the stages give 1.50x (tolerance 2%)']);
      assert.equal(found[0].span, exp.budget.speedup!.span);
      assert.equal(found[0].notes[0], "the run costs 200 equivalent epochs against the baseline's 300");
      assert.match(found[0].notes[1], /^per stage \(EMACs\): 1 @96px 0\.314 \(10\.0%\), 2 @96px 0\.314 \(10\.0%\), 3 @160px /);
      assert.deepEqual(found[0].help, ['a 2.00x run costs 150 equivalent epochs: write `efficienttrain_pp(equivalent_epochs: 150ep)`, or declare `speedup 1.50x`']);
    });
    it('accepts a speedup within the tolerance', () => {
      const exp = experiment({ curriculum: library('efficienttrain'), budget: { speedup: at(1.5), tolerance: at(0.025) } });
      assert.deepEqual(run(declaredSpeedup, exp), []);
      const strict = experiment({ curriculum: library('efficienttrain'), budget: { speedup: at(1.5), tolerance: at(0.01) } });
      assert.deepEqual(summary(run(declaredSpeedup, strict)), ['error[EFT0310] declared speedup 1.50x but the stages give 1.53x (tolerance 1%)']);
    });
    it('the baseline recipe with a declared speedup points at equivalent epochs', () => {
      const found = run(declaredSpeedup, experiment({ budget: { speedup: at(1.5) } }));
      assert.deepEqual(summary(found), ['error[EFT0310] declared speedup 1.50x but the stages give 1.00x (tolerance 2%)']);
      assert.deepEqual(found[0].help, ['a 1.50x run costs 200 equivalent epochs: declare `equivalent_epochs 200ep` in the budget, or declare `speedup 1.00x`']);
    });
    it('a budget that sets the curriculum is met by construction', () => {
      assert.deepEqual(run(declaredSpeedup, experiment({ curriculum: library('efficienttrain_pp'), budget: { speedup: at(3) } })), []);
    });
  });

  it('EFT0311: declared equivalent epochs', () => {
    const exp = experiment({ curriculum: library('efficienttrain'), budget: { equivalentEpochs: at(200), tolerance: at(0.01) } });
    const found = run(declaredEpochs, exp);
    assert.deepEqual(summary(found), ['error[EFT0311] declared 200 equivalent epochs but the stages cost 195.97 (tolerance 1%)']);
    assert.deepEqual(found[0].help, ['declare `equivalent_epochs 195.97ep`, or change the curriculum so that it costs 200']);
  });

  it("EFT0312: epoch stages of a written-out curriculum whose compute shares are far from their epoch shares", () => {
    const px = (p: number) => at({ pixels: p });
    const exp = experiment({
      curriculum: custom('epochs', [
        rangeStage(0, 60, { resolution: px(160) }),
        rangeStage(60, 120, { resolution: px(160) }),
        rangeStage(120, 180, { resolution: px(160) }),
        rangeStage(180, 240, { resolution: px(192) }),
        rangeStage(240, 300, { resolution: px(224) }),
      ]),
    });
    const found = run(stageShare, exp);
    assert.deepEqual(summary(found), [
      'warning[EFT0312] stage 1 is declared as 20.0% of the epochs but spends 15.6% of the compute',
      'warning[EFT0312] stage 2 is declared as 20.0% of the epochs but spends 15.6% of the compute',
      'warning[EFT0312] stage 3 is declared as 20.0% of the epochs but spends 15.6% of the compute',
      'warning[EFT0312] stage 5 is declared as 20.0% of the epochs but spends 30.6% of the compute',
    ]);
    assert.equal(found[0].notes[0], 'at 160px an image costs 51% of one at the full 224px, so a share of the epochs is not the same share of the compute');
    assert.deepEqual(run(stageShare, experiment({ curriculum: library('efficienttrain') })), [], 'library designs are exempt');
  });

  it('EFT0313: an unknown hardware profile, with did-you-mean', () => {
    const found = run(hardwareProfile, experiment({ budget: { limits: [limit('device_hours', 100, 'a10')] } }));
    assert.deepEqual(summary(found), ['error[EFT0313] unknown hardware profile `a10`']);
    assert.deepEqual(found[0].help, ['did you mean `a100`?', 'the profiles are `v100` (125 TFLOP/s), `a100` (312 TFLOP/s), `h100` (989 TFLOP/s), `rtx3090` (71 TFLOP/s)']);
    assert.deepEqual(run(hardwareProfile, experiment({ budget: { limits: [limit('device_hours', 100, 'RTX-3090')] } })), []);
  });

  it('EFT0314: device-hours over the limit', () => {
    const exp = experiment({ model: 'deit_small', curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }), budget: { limits: [limit('device_hours', 10, 'a100', 0.4, 8)] } });
    const found = run(deviceHoursRule, exp, 'deit_small');
    assert.deepEqual(summary(found), ['error[EFT0314] the run needs 15.7 device-hours on a100 at 40% utilisation, over the limit of 10 h']);
    assert.deepEqual(found[0].notes, ["training is 2 × 3.54 EMACs = 7.07 EFLOP at 124.8 TFLOP/s per device (40% of the NVIDIA A100 (SXM4)'s 312 TFLOP/s dense BF16/FP16 tensor core peak)"]);
    assert.deepEqual(found[0].help, ['within 10 h the run can cost at most 127.09 equivalent epochs (a 2.36x speedup), or raise the limit']);
  });

  it('EFT0315: wall time over the limit on the declared devices', () => {
    const exp = experiment({ model: 'deit_small', curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }), budget: { limits: [limit('wall_time', 1, 'a100', 0.4, 8)] } });
    assert.deepEqual(summary(run(wallTime, exp, 'deit_small')), ['error[EFT0315] the run needs 2 hours of wall time on 8 × a100 at 40% utilisation, over the limit of 1 h']);
    const h100 = experiment({ model: 'deit_small', curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }), budget: { limits: [limit('wall_time', 1, 'h100', 0.4, 8)] } });
    assert.deepEqual(run(wallTime, h100, 'deit_small'), []);
  });

  it('EFT0316: stages the loader cannot feed, with the replay factors that would', () => {
    const exp = experiment({
      curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }),
      budget: { limits: [limit('device_hours', 1000, 'a100', 0.4)], loaderThroughput: at(12_000) },
    });
    const found = run(loaderBound, exp);
    assert.deepEqual(summary(found), ['warning[EFT0316] the data loader likely bounds stages 1, 2: they need about 27,632 images/s at 96px per device, but the loader delivers 12,000 images/s']);
    assert.deepEqual(found[0].help, ['a replay buffer trains each loaded image r times: `replay { r [3, 3, 1, 1, 1, 1, 1, 1, 1, 1] }` in the curriculum block']);
    assert.deepEqual(run(loaderBound, { ...exp, budget: { ...exp.budget, loaderThroughput: at(30_000) } }), []);
    const slow = run(loaderBound, { ...exp, budget: { ...exp.budget, loaderThroughput: at(8000) } });
    assert.deepEqual(summary(slow), [
      'warning[EFT0316] the data loader likely bounds stages 1, 2, 3, 4, 5, 6: they need about 27,632 images/s at 96px (stages 1, 2) and 9,965 images/s at 160px (stages 3, 4, 5, 6) per device, but the loader delivers 8,000 images/s',
    ]);
  });
});
