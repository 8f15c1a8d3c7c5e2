import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import type { Schedule } from '../../compiler/schedule.js';
import { at, experiment, library, limit, quadraticCost, realCost } from './helpers.js';

function finiteEverywhere(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).every(finiteEverywhere);
  return true;
}

describe('costing a curriculum', () => {
  it('EfficientTrain++ arithmetic with a cost exactly ∝ B²: images, epochs, steps, compute', () => {
    const images = 1_281_167;
    const s = expandCurriculum(experiment({ curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }) }), quadraticCost(224, 4e9)).schedule!;
    const fullCost = 3 * 4e9;
    const total = 200 * images * fullCost;
    const stage1 = Math.round((0.1 * total) / (fullCost * (96 / 224) ** 2));
    assert.equal(s.stages[0].images, stage1);
    assert.equal(s.stages[0].trainedImages, stage1);
    assert.equal(s.stages[0].steps, Math.ceil(stage1 / 4096));
    assert.equal(s.stages[0].epochs, stage1 / images);
    assert.equal(s.stages[0].compute, stage1 * fullCost * (96 / 224) ** 2);
    assert.equal(s.stages[9].images, Math.round(20 * images));
    assert.equal(s.totals.baselineCompute, 300 * images * fullCost);
    assert.equal(s.totals.speedup.toFixed(6), '1.500000');
    assert.equal(s.totals.speedupPixelProxy.toFixed(6), '1.500000');
    assert.equal(s.totals.images, s.stages.reduce((n, st) => n + st.images, 0));
    assert.equal(s.totals.steps, s.stages.reduce((n, st) => n + st.steps, 0));
  });

  it('replay reads 1/r of the images without changing the compute or the steps', () => {
    const plain = expandCurriculum(experiment({ curriculum: library('efficienttrain_pp') }), quadraticCost(224)).schedule!;
    const replay = expandCurriculum(
      experiment({ curriculum: library('efficienttrain_pp', {}, { replayR: { kind: 'list', values: [4, 4, 2, 2, 2, 2, 1, 1, 1, 1], span: at(0).span } }) }),
      quadraticCost(224),
    ).schedule!;
    assert.equal(replay.stages[0].images, Math.ceil(plain.stages[0].images / 4));
    assert.equal(replay.stages[0].trainedImages, plain.stages[0].trainedImages);
    assert.equal(replay.stages[0].images, Math.ceil(replay.stages[0].trainedImages / 4));
    assert.equal(replay.stages[0].compute, replay.stages[0].trainedImages * replay.stages[0].macsPerImage);
    assert.equal(replay.stages[0].epochs, replay.stages[0].images / 1_281_167);
    assert.equal(replay.stages[0].steps, plain.stages[0].steps);
    assert.equal(replay.stages[0].compute, plain.stages[0].compute);
    assert.equal(replay.totals.speedup, plain.totals.speedup);
  });

  it('splits the global batch over the declared devices', () => {
    const s = expandCurriculum(experiment({ budget: { limits: [limit('device_hours', 1000, 'a100', 0.4, 8)] } }), quadraticCost(224)).schedule!;
    assert.deepEqual(s.stages[0].batchSplit, { perDevice: 512, accumulation: 1 });
  });

  it('the baseline (`none`) is one full-resolution stage of the baseline epochs, or of the declared equivalent epochs', () => {
    const s = expandCurriculum(experiment(), realCost('resnet50')).schedule!;
    assert.deepEqual(s.stages.map((st) => [st.resolution, st.epochs, st.lowPass, st.randaugment.m]), [[224, 300, 'none', 9]]);
    assert.equal(s.totals.speedup, 1);
    assert.equal(s.totals.speedupPixelProxy, 1);
    const shorter = expandCurriculum(experiment({ budget: { equivalentEpochs: at(150) } }), realCost('resnet50')).schedule!;
    assert.equal(shorter.stages[0].epochs, 150);
    assert.equal(shorter.totals.speedup, 2);
  });

  it('never yields NaN or Infinity: absurd sizes are a diagnostic (EFT0308)', () => {
    const exp = experiment({ images: 1e12, baselineEpochs: 1e6, curriculum: library('efficienttrain_pp', { equivalent_epochs: 1e6 }) });
    const { schedule, diagnostics } = expandCurriculum(exp, quadraticCost(224));
    assert.equal(schedule, undefined);
    assert.equal(diagnostics[0].code, 'EFT0308');
    assert.equal(diagnostics[0].message, 'stage 1 would train on 5.44e+17 images, more than the 1e+15 a plan can hold');
  });

  it('a cost model that yields no positive cost is a diagnostic, not a division by zero', () => {
    const zero = { ...quadraticCost(224), trainingMacsPerImage: () => 0 };
    const { schedule, diagnostics } = expandCurriculum(experiment({ curriculum: library('efficienttrain_pp') }), zero);
    assert.equal(schedule, undefined);
    assert.deepEqual(diagnostics.map((d) => d.message), ["the model cannot be costed at the data set's full 224px: the cost model gives 0 MACs per image"]);
  });

  it('every library curriculum on every small and large data set gives finite numbers', () => {
    const curricula = [library('efficienttrain'), library('efficienttrain_pp'), library('linear_ramp'), library('ffcv_ramp'), { kind: 'none' as const }];
    for (const resolution of [8, 28, 32, 224, 512]) {
      for (const curriculum of curricula) {
        const { schedule, diagnostics } = expandCurriculum(experiment({ resolution, images: 60_000, baselineEpochs: 10, batch: 64, curriculum }), quadraticCost(resolution));
        const name = curriculum.kind === 'library' ? curriculum.name.value : 'none';
        assert.deepEqual(diagnostics, [], `${name} at ${resolution}px`);
        assert.ok(schedule && finiteEverywhere(schedule as Schedule), `${name} at ${resolution}px`);
      }
    }
  });
});
