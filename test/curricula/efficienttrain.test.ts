import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import { experiment, library, quadraticCost, realCost } from './helpers.js';

describe('efficienttrain (EfficientTrain, ICCV 2023)', () => {
  it('runs 5 stages of 60 epochs for a 300-epoch baseline: B = 160,160,160,192,224 and m = 1,3,5,7,9', () => {
    const s = expandCurriculum(experiment({ curriculum: library('efficienttrain') }), realCost('resnet50')).schedule!;
    assert.equal(s.clock, 'epochs');
    assert.deepEqual(
      s.stages.map((st) => [st.resolution, st.randaugment.m, st.epochs, st.lowPass]),
      [
        [160, 1, 60, 'fft'],
        [160, 3, 60, 'fft'],
        [160, 5, 60, 'fft'],
        [192, 7, 60, 'fft'],
        [224, 9, 60, 'none'],
      ],
    );
    assert.deepEqual(s.stages.map((st) => (st.declaredShare * 100).toFixed(1)), ['20.0', '20.0', '20.0', '20.0', '20.0']);
    assert.deepEqual(s.stages.map((st) => (st.share * 100).toFixed(1)), ['15.6', '15.6', '15.6', '22.5', '30.6']);
  });

  it('is 1.53x by the pixel proxy on any model, and 1.53x by FLOPs on ResNet-50', () => {
    const r50 = expandCurriculum(experiment({ curriculum: library('efficienttrain') }), realCost('resnet50')).schedule!;
    assert.equal(r50.totals.speedupPixelProxy.toFixed(2), '1.53');
    assert.equal(r50.totals.speedup.toFixed(2), '1.53');
    assert.equal(r50.totals.equivalentEpochs.toFixed(1), '196.0');
    const deit = expandCurriculum(experiment({ model: 'deit_small', curriculum: library('efficienttrain') }), realCost('deit_small')).schedule!;
    assert.equal(deit.totals.speedupPixelProxy.toFixed(2), '1.53');
    assert.equal(deit.totals.speedup.toFixed(2), '1.56');
  });

  it('scales with the `epochs` argument', () => {
    const s = expandCurriculum(experiment({ curriculum: library('efficienttrain', { epochs: 100 }) }), quadraticCost(224)).schedule!;
    assert.deepEqual(s.stages.map((st) => st.epochs), [20, 20, 20, 20, 20]);
    assert.equal(s.totals.speedup.toFixed(3), (300 / (100 * (3 * (160 / 224) ** 2 + (192 / 224) ** 2 + 1) / 5)).toFixed(3));
  });
});
