import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import { planCurriculum } from '../../compiler/curricula/plan.js';
import type { Schedule } from '../../compiler/schedule.js';
import { at, experiment, library, quadraticCost, realCost } from './helpers.js';

function etpp(model: string, args: Record<string, number | string> = { equivalent_epochs: 200 }, budget = {}): Schedule {
  const exp = experiment({ model, curriculum: library('efficienttrain_pp', args), budget });
  const { schedule, diagnostics } = expandCurriculum(exp, realCost(model));
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(planCurriculum(exp).problems, []);
  assert.ok(schedule);
  return schedule;
}

/** The stage table as explain shows it: resolution, m, share and epochs (2 decimals). */
function table(s: Schedule): [number, number, string, string][] {
  return s.stages.map((st) => [st.resolution, st.randaugment.m, (st.share * 100).toFixed(1), st.epochs.toFixed(2)]);
}

describe('efficienttrain_pp (EfficientTrain++, TPAMI 2024)', () => {
  it('DeiT-S at E = 200: the DeiT list, 10% of the compute per stage, epochs from the exact FLOPs', () => {
    assert.deepEqual(table(etpp('deit_small')), [
      [96, 0, '10.0', '113.66'],
      [96, 1, '10.0', '113.66'],
      [160, 2, '10.0', '40.55'],
      [160, 3, '10.0', '40.55'],
      [160, 4, '10.0', '40.55'],
      [160, 5, '10.0', '40.55'],
      [192, 6, '10.0', '27.74'],
      [192, 7, '10.0', '27.74'],
      [224, 8, '10.0', '20.00'],
      [224, 9, '10.0', '20.00'],
    ]);
  });

  it('ResNet-50 at E = 200: the default list', () => {
    assert.deepEqual(table(etpp('resnet50')), [
      [96, 0, '10.0', '108.65'],
      [96, 1, '10.0', '108.65'],
      [160, 2, '10.0', '39.18'],
      [160, 3, '10.0', '39.18'],
      [160, 4, '10.0', '39.18'],
      [160, 5, '10.0', '39.18'],
      [224, 6, '10.0', '20.00'],
      [224, 7, '10.0', '20.00'],
      [224, 8, '10.0', '20.00'],
      [224, 9, '10.0', '20.00'],
    ]);
  });

  it('Swin-T at E = 200: the default list; its scaled windows make low resolutions cheaper than B²', () => {
    assert.deepEqual(table(etpp('swin_tiny')), [
      [96, 0, '10.0', '111.65'],
      [96, 1, '10.0', '111.65'],
      [160, 2, '10.0', '39.80'],
      [160, 3, '10.0', '39.80'],
      [160, 4, '10.0', '39.80'],
      [160, 5, '10.0', '39.80'],
      [224, 6, '10.0', '20.00'],
      [224, 7, '10.0', '20.00'],
      [224, 8, '10.0', '20.00'],
      [224, 9, '10.0', '20.00'],
    ]);
  });

  it('ConvNeXt-T at E = 200: the ConvNeXt list', () => {
    assert.deepEqual(table(etpp('convnext_tiny')), [
      [160, 0, '10.0', '39.19'],
      [160, 1, '10.0', '39.19'],
      [160, 2, '10.0', '39.19'],
      [160, 3, '10.0', '39.19'],
      [160, 4, '10.0', '39.19'],
      [160, 5, '10.0', '39.19'],
      [224, 6, '10.0', '20.00'],
      [224, 7, '10.0', '20.00'],
      [224, 8, '10.0', '20.00'],
      [224, 9, '10.0', '20.00'],
    ]);
  });

  it('E = 200 of a 300-epoch baseline is exactly 1.5x by FLOPs for every family', () => {
    for (const model of ['deit_small', 'resnet50', 'swin_tiny', 'convnext_tiny']) {
      const s = etpp(model);
      assert.equal(s.totals.speedup.toFixed(4), '1.5000', model);
      assert.equal(s.totals.equivalentEpochs.toFixed(3), '200.000', model);
      assert.equal(s.clock, 'compute');
      assert.deepEqual(
        s.stages.map((st) => [st.computeStart.toFixed(3), st.computeEnd.toFixed(3)]),
        Array.from({ length: 10 }, (_, i) => [(i / 10).toFixed(3), ((i + 1) / 10).toFixed(3)]),
      );
    }
  });

  it('for DeiT-S the exact-FLOPs speedup is larger than the pixel proxy says (attention falls faster than B²)', () => {
    const s = etpp('deit_small');
    assert.equal(s.totals.speedupPixelProxy.toFixed(2), '1.46');
    assert.ok(s.totals.speedup > s.totals.speedupPixelProxy + 0.03);
    assert.ok(s.stages[0].macsPerImage < s.stages[0].macsPerImagePixelProxy);
  });

  it('for ConvNets the pixel proxy agrees with the FLOPs: 1.50x', () => {
    for (const model of ['resnet50', 'convnext_tiny']) assert.equal(etpp(model).totals.speedupPixelProxy.toFixed(2), '1.50', model);
  });

  it('takes the family from the model, unless the `family` argument says otherwise', () => {
    const res = (s: Schedule) => s.stages.map((st) => st.resolution).join(',');
    assert.equal(res(etpp('deit_tiny')), '96,96,160,160,160,160,192,192,224,224');
    assert.equal(res(etpp('convnext_small')), '160,160,160,160,160,160,224,224,224,224');
    assert.equal(res(etpp('pvt_small')), '96,96,160,160,160,160,224,224,224,224');
    assert.equal(res(etpp('deit_small', { family: 'default', equivalent_epochs: 200 })), '96,96,160,160,160,160,224,224,224,224');
  });

  it('full-resolution stages use no low-pass; the others the fft crop by default', () => {
    const s = etpp('resnet50');
    assert.deepEqual(s.stages.map((st) => st.lowPass), ['fft', 'fft', 'fft', 'fft', 'fft', 'fft', 'none', 'none', 'none', 'none']);
    assert.deepEqual(s.stages[0].randaugment, { m: 0, n: 2, mstd: 0.5 });
    assert.deepEqual(s.stages[0].replay, { r: 1, k: 0 });
  });

  describe('the budget', () => {
    const e = (args: Record<string, number | string>, budget = {}) => {
      const exp = experiment({ curriculum: library('efficienttrain_pp', args), budget });
      return planCurriculum(exp).plan!;
    };
    it('comes from the `equivalent_epochs` argument first', () => {
      const p = e({ equivalent_epochs: 150 }, { equivalentEpochs: at(100), speedup: at(3) });
      assert.equal(p.equivalentEpochs, 150);
      assert.equal(p.budgetSource, 'argument `equivalent_epochs: 150ep`');
    });
    it('then the `speedup` argument (baseline / speedup)', () => {
      const p = e({ speedup: 2 });
      assert.equal(p.equivalentEpochs, 150);
      assert.equal(p.budgetSource, 'argument `speedup: 2.00x` (300 / 2)');
    });
    it("then the budget's equivalent epochs, then its speedup", () => {
      assert.equal(e({}, { equivalentEpochs: at(100), speedup: at(2) }).equivalentEpochs, 100);
      const p = e({}, { speedup: at(3) });
      assert.equal(p.equivalentEpochs, 100);
      assert.equal(p.budgetSource, 'budget `speedup 3.00x` (300 / 3)');
    });
    it("and without any, the baseline's epochs (1.0x)", () => {
      const p = e({});
      assert.equal(p.equivalentEpochs, 300);
      assert.equal(p.budgetSource, "the baseline's 300 epochs (no budget declared)");
    });
    it('E = 150 is 2x and E = 100 is 3x', () => {
      const run = (E: number) => expandCurriculum(experiment({ curriculum: library('efficienttrain_pp', { equivalent_epochs: E }) }), quadraticCost(224)).schedule!.totals.speedup;
      assert.equal(run(150).toFixed(4), '2.0000');
      assert.equal(run(100).toFixed(4), '3.0000');
    });
  });
});
