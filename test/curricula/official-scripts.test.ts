import assert from 'node:assert/strict';
import { ETPP_RESOLUTIONS } from '../../compiler/curricula/library/efficienttrain-pp.js';
import { officialScriptStages } from '../../compiler/curricula/official-scripts.js';

const ones = new Array<number>(10).fill(1);

describe('the official EfficientTrain++ launch scripts, reproduced', () => {
  it('DeiT-S at E = 200 launches "--epochs 1088 --end_epoch 108 --warmup_epochs 217" first', () => {
    const o = officialScriptStages(200, ETPP_RESOLUTIONS.deit, ones, true);
    assert.deepEqual(
      o.stages.map((s) => [s.resolution, s.virtualEpochs, s.startEpoch, s.endEpoch, s.warmupEpochs, s.epochs]),
      [
        [96, 1088, 0, 108, 217, 108],
        [96, 1088, 108, 217, 217, 109],
        [160, 392, 78, 117, 78, 39],
        [160, 392, 117, 156, 78, 39],
        [160, 392, 156, 196, 78, 40],
        [160, 392, 196, 235, 78, 39],
        [192, 272, 163, 190, 54, 27],
        [192, 272, 190, 217, 54, 27],
        [224, 200, 159, 180, 40, 21],
        [224, 200, 180, 200, 40, 20],
      ],
    );
  });

  it('gives 1.50x by the pixel proxy at 200 equivalent epochs for every family', () => {
    const speedups = (['default', 'deit', 'convnext'] as const).map((f) => (300 / officialScriptStages(200, ETPP_RESOLUTIONS[f], ones, f === 'deit').proxyEquivalentEpochs).toFixed(2));
    assert.deepEqual(speedups, ['1.50', '1.50', '1.50']);
    assert.equal(officialScriptStages(200, ETPP_RESOLUTIONS.default, ones, false).proxyEquivalentEpochs.toFixed(3), '199.959');
  });

  it('lands each stage within about ±5% of its 10% share, and the total within 0.5% of E', () => {
    for (const f of ['default', 'deit', 'convnext'] as const) {
      for (const E of [150, 200, 300]) {
        const o = officialScriptStages(E, ETPP_RESOLUTIONS[f], ones, f === 'deit');
        assert.ok(Math.abs(o.proxyEquivalentEpochs / E - 1) < 0.005, `${f} E=${E}: ${o.proxyEquivalentEpochs}`);
        for (const s of o.stages) assert.ok(Math.abs(s.proxyEpochs / (E / 10) - 1) < 0.06, `${f} E=${E} stage ${s.index}: ${s.proxyEpochs}`);
      }
    }
  });

  it('divides epochs and warm-up by the replay factor and rescales the resume epoch', () => {
    const o = officialScriptStages(200, ETPP_RESOLUTIONS.default, [4, 4, 2, 2, 2, 2, 1, 1, 1, 1], false);
    assert.deepEqual(
      o.stages.slice(0, 3).map((s) => [s.virtualEpochs, s.startEpoch, s.endEpoch, s.warmupEpochs]),
      [
        [272, 0, 27, 5],
        [272, 27, 54, 5],
        [196, 39, 58, 10],
      ],
    );
    assert.equal((300 / o.proxyEquivalentEpochs).toFixed(2), '1.50');
  });
});
