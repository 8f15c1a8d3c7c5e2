import assert from 'node:assert/strict';
import { expandCurriculum, curriculumProblems } from '../../compiler/curricula/index.js';
import { planCurriculum } from '../../compiler/curricula/plan.js';
import type { PerStage } from '../../compiler/experiment.js';
import { at, custom, experiment, indexStage, library, multipleOnlyCost, quadraticCost, rangeStage, span } from './helpers.js';

const px = (pixels: number) => at({ pixels });
function list<T>(values: T[]): PerStage<T> {
  return { kind: 'list', values, span: span() };
}
function ramp<T>(from: T, to: T, steps?: number): PerStage<T> {
  return { kind: 'ramp', from, to, steps, span: span() };
}
const messages = (exp: Parameters<typeof curriculumProblems>[0]) => curriculumProblems(exp).map((d) => `${d.code} ${d.message}`);

describe('custom curricula', () => {
  it('over compute: a stage of share s at B trains s · E · images · cost(full) / cost(B) images', () => {
    const exp = experiment({ images: 1000, batch: 100, curriculum: custom('compute', [rangeStage(0, 0.5, { resolution: px(112) }), rangeStage(0.5, 1, { resolution: px(224) })]) });
    const s = expandCurriculum(exp, quadraticCost(224)).schedule!;
    // E = 300 (no budget): stage 1 gets 150 equivalent epochs at a quarter of the cost → 600 epochs.
    assert.deepEqual(s.stages.map((st) => [st.resolution, st.epochs, st.images, st.steps]), [
      [112, 600, 600_000, 6000],
      [224, 150, 150_000, 1500],
    ]);
    assert.equal(s.totals.speedup, 1);
    assert.equal(s.totals.equivalentEpochs, 300);
  });

  it('over epochs: each stage trains its epochs × images', () => {
    const exp = experiment({
      images: 1000,
      batch: 300,
      curriculum: custom('epochs', [rangeStage(0, 60, { resolution: px(112), randaugment: at({ m: 1 }) }), rangeStage(60, 100, { resolution: px(224) })]),
    });
    const s = expandCurriculum(exp, quadraticCost(224)).schedule!;
    assert.deepEqual(s.stages.map((st) => [st.epochs, st.images, st.steps, st.randaugment.m]), [
      [60, 60_000, 200, 1],
      [40, 40_000, 134, 9],
    ]);
    assert.deepEqual(s.stages.map((st) => st.declaredShare), [0.6, 0.4]);
    assert.equal(s.totals.equivalentEpochs, 55);
    assert.equal(s.totals.speedup.toFixed(4), (300 / 55).toFixed(4));
  });

  it('`stages N` gives equal stages; lists and ramps fill them', () => {
    const exp = experiment({
      curriculum: custom('compute', [], {
        stages: at(10),
        resolution: list([96, 96, 160, 160, 160, 160, 224, 224, 224, 224].map((p) => ({ pixels: p }))),
        randaugmentM: ramp(0, 9, 10),
        replayR: list([4, 4, 2, 2, 2, 2, 1, 1, 1, 1]),
      }),
    });
    const plan = planCurriculum(exp).plan!;
    assert.deepEqual(plan.stages.map((s) => s.randaugment.m), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(plan.stages.map((s) => s.replay.r), [4, 4, 2, 2, 2, 2, 1, 1, 1, 1]);
    assert.deepEqual(plan.stages.map((s) => [s.start, s.end]).slice(0, 2), [
      [0, 0.1],
      [0.1, 0.2],
    ]);
  });

  it('a ramp with fewer steps than stages holds each level over a run of stages', () => {
    const exp = experiment({ curriculum: custom('compute', [], { stages: at(6), resolution: ramp({ pixels: 96 }, { pixels: 224 }, 3) }) });
    assert.deepEqual(planCurriculum(exp).plan!.stages.map((s) => s.resolution), [96, 96, 160, 160, 224, 224]);
  });

  it('takes the number of stages from a list when `stages` is not written', () => {
    const exp = experiment({ curriculum: custom('compute', [], { resolution: list([{ fraction: 0.5 }, { fraction: 1 }]) }) });
    const plan = planCurriculum(exp).plan!;
    assert.deepEqual(plan.stages.map((s) => [s.start, s.end, s.resolution]), [
      [0, 0.5, 112],
      [0.5, 1, 224],
    ]);
  });

  describe('tiling (EFT0303)', () => {
    it('reports a gap', () => {
      assert.deepEqual(messages(experiment({ curriculum: custom('compute', [rangeStage(0, 0.4), rangeStage(0.5, 1)]) })), ['EFT0303 gap between stages: nothing runs from 40% to 50%']);
    });
    it('reports an overlap', () => {
      assert.deepEqual(messages(experiment({ curriculum: custom('compute', [rangeStage(0, 0.6), rangeStage(0.5, 1)]) })), ['EFT0303 stages overlap from 50% to 60%']);
    });
    it('reports a run that does not start at 0 or end at 100%', () => {
      assert.deepEqual(messages(experiment({ curriculum: custom('compute', [rangeStage(0.1, 0.9)]) })), [
        'EFT0303 the stages start at 10%: nothing runs from 0% to 10%',
        'EFT0303 the stages end at 90%: nothing runs from 90% to 100%',
      ]);
    });
    it('reports epoch bounds on the compute clock, with the fix', () => {
      const found = curriculumProblems(experiment({ curriculum: custom('compute', [rangeStage(0, 60), rangeStage(60, 300)]) }));
      assert.equal(found[0].message, 'stage `0% .. 6000%` goes beyond 100% of the compute');
      assert.deepEqual(found[0].help, ['stages in epochs need `over epochs` in the curriculum block']);
    });
    it('orders epoch stages by their start, and needs no fixed end', () => {
      const plan = planCurriculum(experiment({ curriculum: custom('epochs', [rangeStage(100, 250), rangeStage(0, 100)]) })).plan!;
      assert.deepEqual(plan.stages.map((s) => [s.index, s.start, s.end]), [
        [1, 0, 100],
        [2, 100, 250],
      ]);
    });
    it('reports a curriculum without stages', () => {
      assert.deepEqual(messages(experiment({ curriculum: custom('compute', []) })), ['EFT0303 this curriculum declares no stages']);
    });
  });

  describe('per-stage values and overrides (EFT0305)', () => {
    it('reports a list of the wrong length', () => {
      assert.deepEqual(messages(experiment({ curriculum: library('efficienttrain_pp', {}, { randaugmentM: list([0, 1, 2]) }) })), [
        'EFT0305 `randaugment.m` lists 3 values but the curriculum has 10 stages',
      ]);
    });
    it('reports a ramp with more steps than stages', () => {
      assert.deepEqual(messages(experiment({ curriculum: library('efficienttrain', {}, { randaugmentM: ramp(0, 9, 10) }) })), [
        'EFT0305 `randaugment.m` ramps in 10 steps but the curriculum has only 5 stages',
      ]);
    });
    it('reports a number of stages a library curriculum does not have', () => {
      assert.deepEqual(messages(experiment({ curriculum: library('efficienttrain_pp', {}, { stages: at(5) }) })), ['EFT0305 efficienttrain_pp has 10 stages; `stages 5` cannot change that']);
    });
    it('reports a stage number that does not exist', () => {
      assert.deepEqual(messages(experiment({ curriculum: library('efficienttrain_pp', {}, {}, [indexStage(11, { resolution: px(128) })]) })), [
        'EFT0305 stage 11 does not exist: efficienttrain_pp has 10 stages',
      ]);
    });
    it('reports a range that splits a stage, listing the bounds', () => {
      const found = curriculumProblems(experiment({ curriculum: library('efficienttrain_pp', {}, {}, [rangeStage(0, 0.15, { resolution: px(128) })]) }));
      assert.equal(found[0].message, '`stage 0% .. 15%` does not line up with the stages of efficienttrain_pp');
      assert.deepEqual(found[0].notes, ['its stage bounds are 0%, 10%, 20%, 30%, 40%, 50%, 60%, 70%, 80%, 90%, 100%']);
    });
    it('overrides whole stages selected by number or by range, a later block winning', () => {
      const exp = experiment({
        curriculum: library('efficienttrain_pp', {}, { lowPass: at('lanczos' as const) }, [
          rangeStage(0, 0.2, { resolution: px(128) }),
          indexStage(2, { resolution: px(64), randaugment: at({ m: 3 }) }),
          rangeStage(0.6, 0.7, { replay: at({ r: 2, k: 256 }) }),
        ]),
      });
      const plan = planCurriculum(exp).plan!;
      assert.deepEqual(plan.stages.slice(0, 3).map((s) => [s.resolution, s.randaugment.m, s.lowPass]), [
        [128, 0, 'lanczos'],
        [64, 3, 'lanczos'],
        [160, 2, 'lanczos'],
      ]);
      assert.deepEqual(plan.stages[6].replay, { r: 2, k: 256 });
    });
  });

  describe('resolutions', () => {
    it('scales library sizes written for 224px to the data set: 96/224 of 28px is 12px', () => {
      const s = expandCurriculum(experiment({ resolution: 28, curriculum: library('efficienttrain_pp') }), quadraticCost(28)).schedule!;
      assert.deepEqual(s.stages.map((st) => st.resolution), [12, 12, 20, 20, 20, 20, 28, 28, 28, 28]);
      assert.ok(s.stages.every((st) => st.rounding === undefined));
    });
    it('rounds to whole pixels, and to even sizes for the fft low-pass, recording why', () => {
      const s = expandCurriculum(experiment({ resolution: 32, curriculum: library('efficienttrain_pp') }), quadraticCost(32)).schedule!;
      assert.deepEqual(s.stages.map((st) => st.resolution), [14, 14, 22, 22, 22, 22, 32, 32, 32, 32]);
      assert.deepEqual(s.stages[0].rounding, { requested: (96 / 224) * 32, chosen: 14, reason: 'rounded to whole pixels (13.71px requested)' });
      assert.deepEqual(s.stages[2].rounding, { requested: (160 / 224) * 32, chosen: 22, reason: 'the fft low-pass needs an even size, and 23px is odd (22.86px requested)' });
      const lanczos = expandCurriculum(experiment({ resolution: 32, curriculum: library('efficienttrain_pp', {}, { lowPass: at('lanczos' as const) }) }), quadraticCost(32)).schedule!;
      assert.equal(lanczos.stages[2].resolution, 23);
    });
    it("rounds to the nearest size the architecture accepts, with the cost model's reason", () => {
      const exp = experiment({ curriculum: custom('compute', [rangeStage(0, 0.5, { resolution: px(100) }), rangeStage(0.5, 1)]) });
      const s = expandCurriculum(exp, multipleOnlyCost(224, 32)).schedule!;
      assert.equal(s.stages[0].resolution, 96);
      assert.equal(s.stages[0].rounding!.reason, 'the model needs a multiple of 32');
    });
    it('reports a resolution above the full one (EFT0307)', () => {
      const exp = experiment({ curriculum: custom('compute', [rangeStage(0, 0.5, { resolution: px(256) }), rangeStage(0.5, 1)]) });
      const { schedule, diagnostics } = expandCurriculum(exp, quadraticCost(224));
      assert.equal(schedule, undefined);
      assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.message}`), ["EFT0307 stage 1 asks for 256px, above the data set's full resolution of 224px"]);
    });
    it("reports a full resolution the model does not accept, with the nearest it does (EFT0307)", () => {
      const { schedule, diagnostics } = expandCurriculum(experiment({ resolution: 28, curriculum: library('efficienttrain_pp') }), multipleOnlyCost(28, 16));
      assert.equal(schedule, undefined);
      assert.deepEqual(diagnostics.map((d) => [d.message, d.help]), [
        ["the data set's full resolution of 28px does not suit the model: the model needs a multiple of 16", ['resize the data to 16px or 32px, or choose a model that accepts 28px']],
      ]);
    });
    it('reports a size the cost model cannot count (EFT0307)', () => {
      const throwing = { ...quadraticCost(224), trainingMacsPerImage: (B: number) => { if (B < 224) throw new Error(`too small at ${B}`); return 1e9; } };
      const { diagnostics } = expandCurriculum(experiment({ curriculum: library('efficienttrain') }), throwing);
      assert.deepEqual(diagnostics.map((d) => d.message).slice(0, 1), ['stage 1 cannot be costed at 160px: too small at 160']);
    });
  });

  it('reports RandAugment values out of range once per place written (EFT0306)', () => {
    const exp = experiment({ curriculum: library('efficienttrain_pp', {}, { randaugmentM: ramp(0, 12) }) });
    assert.deepEqual(messages(exp), ['EFT0306 RandAugment magnitude m is 10.667, 12 in stages 9, 10, but it must be within 0 .. 10 (timm scale)']);
    assert.equal(expandCurriculum(exp, quadraticCost(224)).schedule, undefined);
  });
});
