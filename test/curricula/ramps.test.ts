import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import { planCurriculum } from '../../compiler/curricula/plan.js';
import { roundHalfEven } from '../../compiler/curricula/rounding.js';
import type { ExperimentDef } from '../../compiler/experiment.js';
import { rule as degenerateRamp } from '../../compiler/rules/experiment/degenerate-ramp.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { experiment, library, quadraticCost, specOf } from './helpers.js';

function problems(exp: ExperimentDef): Diagnostic[] {
  const found: Diagnostic[] = [];
  degenerateRamp.check({ experiment: exp, spec: specOf('resnet50'), schedule: undefined }, (d) => found.push(d));
  return found;
}

/** Composer's ProgressiveResizing, batch by batch: the pinned width at each elapsed fraction. */
function composerWidth(t: number, full: number, s0: number, delay: number, finetune: number, inc: number): number {
  const frac = t >= delay ? Math.min((t - delay) / (1 - finetune - delay), 1) : 0;
  const scale = s0 + (1 - s0) * frac;
  return Math.min(full, roundHalfEven((full * scale) / inc) * inc);
}

describe('linear_ramp (Composer-style progressive resizing)', () => {
  it('has one stage per pinned size: 112px for the delay, 4px steps, 224px for the fine-tune', () => {
    const s = expandCurriculum(experiment({ curriculum: library('linear_ramp') }), quadraticCost(224)).schedule!;
    assert.equal(s.clock, 'epochs');
    assert.deepEqual(
      s.stages.map((st) => st.resolution),
      Array.from({ length: 29 }, (_, i) => 112 + 4 * i),
    );
    const plan = planCurriculum(experiment({ curriculum: library('linear_ramp') })).plan!;
    assert.equal(plan.stages[0].start, 0);
    assert.equal(plan.stages[0].end.toFixed(3), '151.607');
    assert.equal(plan.stages[28].start.toFixed(3), '238.393');
    assert.equal(plan.stages[28].end, 300);
    assert.equal(s.stages[28].lowPass, 'none');
    assert.equal(s.stages[0].lowPass, 'bilinear');
  });

  it('costs what Composer runs, batch by batch (pixel proxy)', () => {
    const args = { initial_scale: 0.3, delay_fraction: 0.2, finetune_fraction: 0.1, size_increment: 8 };
    const s = expandCurriculum(experiment({ curriculum: library('linear_ramp', args) }), quadraticCost(224)).schedule!;
    const batches = 200_000;
    let proxyEpochs = 0;
    for (let i = 0; i < batches; i++) proxyEpochs += (composerWidth((i + 0.5) / batches, 224, 0.3, 0.2, 0.1, 8) / 224) ** 2 * (300 / batches);
    assert.ok(Math.abs(s.totals.equivalentEpochs - proxyEpochs) < 0.01, `${s.totals.equivalentEpochs} vs ${proxyEpochs}`);
  });

  it('reports delay + finetune >= 1 (Composer divides by zero there) and builds no schedule', () => {
    const exp = experiment({ curriculum: library('linear_ramp', { delay_fraction: 0.6, finetune_fraction: 0.4 }) });
    const found = problems(exp);
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, d.message]),
      [['EFT0304', 'error', 'linear_ramp has no room to ramp: delay_fraction 60% + finetune_fraction 40% = 100%, but they must add up to less than 100%']],
    );
    assert.equal(found[0].span, (exp.curriculum as { args: Record<string, { span: unknown }> }).args.delay_fraction.span);
    const result = expandCurriculum(exp, quadraticCost(224));
    assert.equal(result.schedule, undefined);
    assert.deepEqual(result.diagnostics, []);
  });

  it('reports a start that rounds to 0px', () => {
    const exp = experiment({ resolution: 28, curriculum: library('linear_ramp', { initial_scale: 0.05 }) });
    assert.deepEqual(problems(exp).map((d) => d.message), ['linear_ramp starts at 0px: initial_scale 5% of 28px is 1.4px, which rounds to 0px in steps of size_increment 4px']);
    assert.equal(expandCurriculum(exp, quadraticCost(28)).schedule, undefined);
  });

  it('a scale of 100% is the baseline', () => {
    const s = expandCurriculum(experiment({ curriculum: library('linear_ramp', { initial_scale: 1 }) }), quadraticCost(224)).schedule!;
    assert.equal(s.stages.length, 1);
    assert.equal(s.totals.speedup, 1);
  });
});

describe('ffcv_ramp (FFCV-style resolution ramp)', () => {
  it("reproduces FFCV's 88-epoch ResNet-50 ramp: 160px through epoch 70, then 192px", () => {
    const exp = experiment({ baselineEpochs: 88, curriculum: library('ffcv_ramp', { start_ramp: 65, end_ramp: 76, min_res: 160, max_res: 192 }) });
    const plan = planCurriculum(exp).plan!;
    assert.deepEqual(plan.stages.map((s) => [s.start, s.end, s.resolution]), [
      [0, 71, 160],
      [71, 88, 192],
    ]);
    const s = expandCurriculum(exp, quadraticCost(224)).schedule!;
    assert.deepEqual(s.stages.map((st) => st.lowPass), ['area', 'area']);
  });

  it('defaults to 160/224 → full in steps of 32/224 of full, ramping over 65/88 .. 76/88 of the run', () => {
    // start_ramp = round(300 · 65/88) = 222, end_ramp = round(300 · 76/88) = 259; 176px (5.5 steps) is passed at epoch 232, 208px at 250
    const plan = planCurriculum(experiment({ curriculum: library('ffcv_ramp') })).plan!;
    assert.deepEqual(plan.stages.map((s) => [s.start, s.end, s.resolution]), [
      [0, 232, 160],
      [232, 250, 192],
      [250, 300, 224],
    ]);
  });

  it('reports ramps that go down, end before they start, or end after the run', () => {
    const messages = (args: Record<string, number>) => problems(experiment({ baselineEpochs: 88, curriculum: library('ffcv_ramp', args) })).map((d) => d.message);
    assert.deepEqual(messages({ min_res: 192, max_res: 160 }), ['ffcv_ramp ramps down: min_res 192px is larger than max_res 160px']);
    assert.deepEqual(messages({ start_ramp: 70, end_ramp: 60 }), ['ffcv_ramp ends before it starts: end_ramp is epoch 60 but start_ramp is epoch 70']);
    assert.deepEqual(messages({ start_ramp: 10, end_ramp: 100 }), ['ffcv_ramp never reaches max_res: end_ramp is epoch 100 but the run has 88 epochs']);
  });
});
