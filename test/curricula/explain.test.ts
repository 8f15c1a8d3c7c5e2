import assert from 'node:assert/strict';
import { expandCurriculum } from '../../compiler/curricula/index.js';
import { explainExperiment } from '../../compiler/explain.js';
import type { ExperimentDef } from '../../compiler/experiment.js';
import { experiment, library, limit, realCost, specOf } from './helpers.js';

function explain(exp: ExperimentDef, model: string) {
  const resolution = exp.dataset.resolution.value;
  const { schedule } = expandCurriculum(exp, realCost(model, resolution));
  return explainExperiment({ experiment: exp, spec: specOf(model, resolution), schedule })!;
}

describe('explain', () => {
  it('prints the EfficientTrain++ stage table of DeiT-S at E = 200', () => {
    const { text } = explain(experiment({ model: 'deit_small', curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }) }), 'deit_small');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.trimStart().startsWith('stage  compute'));
    assert.deepEqual(lines.slice(header, header + 11), [
      '  stage  compute         res  low-pass  m  epochs       images   steps  train GMACs/img   EMACs  share',
      '      1  0.0%–10.0%     96px  fft       0  113.66  145,612,378  35,550            2.428  0.3535  10.0%',
      '      2  10.0%–20.0%    96px  fft       1  113.66  145,612,378  35,550            2.428  0.3535  10.0%',
      '      3  20.0%–30.0%   160px  fft       2   40.55   51,945,940  12,683            6.805  0.3535  10.0%',
      '      4  30.0%–40.0%   160px  fft       3   40.55   51,945,940  12,683            6.805  0.3535  10.0%',
      '      5  40.0%–50.0%   160px  fft       4   40.55   51,945,940  12,683            6.805  0.3535  10.0%',
      '      6  50.0%–60.0%   160px  fft       5   40.55   51,945,940  12,683            6.805  0.3535  10.0%',
      '      7  60.0%–70.0%   192px  fft       6   27.74   35,541,777   8,678            9.946  0.3535  10.0%',
      '      8  70.0%–80.0%   192px  fft       7   27.74   35,541,777   8,678            9.946  0.3535  10.0%',
      '      9  80.0%–90.0%   224px  none      8   20.00   25,623,340   6,256            13.80  0.3535  10.0%',
      '     10  90.0%–100.0%  224px  none      9   20.00   25,623,340   6,256            13.80  0.3535  10.0%',
    ]);
    assert.ok(text.includes('  speedup            1.50x by the architecture\'s FLOPs, 1.46x by the pixel proxy (cost ∝ B²)\n'));
    assert.ok(text.includes('  equivalent epochs  200\n'));
    assert.ok(text.includes('  run length: 200 equivalent epochs, from argument `equivalent_epochs: 200ep`\n'));
    assert.ok(text.includes('      1   96px      1088      0          108              217         108           9.9%\n'), 'the official scripts table');
    assert.ok(text.includes('  total 200.63 epochs at 224px by the pixel proxy: 1.50x over the 300-epoch baseline\n'));
  });

  it('prints device-hours where a hardware profile is declared', () => {
    const exp = experiment({ curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }), budget: { limits: [limit('device_hours', 400, 'a100', 0.4, 8)] } });
    const { text, json } = explain(exp, 'resnet50');
    assert.ok(text.includes('  device-hours       14 h on a100 at 40% of peak, 1.7 h wall on 8 devices (limit 400 h)\n'), text);
    assert.equal(json.hardware.length, 1);
    assert.equal(json.hardware[0].device_hours.toFixed(2), '13.99');
  });

  it('marks rounded resolutions and says why', () => {
    const { text, json } = explain(experiment({ model: 'resnet20', resolution: 32, images: 50_000, batch: 128, curriculum: library('efficienttrain') }), 'resnet20');
    assert.ok(text.includes('  * stage 4: 27.43px (192/224 of 32px) → 28px: the fft low-pass needs an even size, and 27px is odd (27.43px requested)\n'), text);
    assert.match(text, /^ {6}1 {2}0–60ep {7}0\.0%–15\.3% {4}22px\* {2}fft/m);
    assert.deepEqual(json.stages[3].rounding, { requested: (192 / 224) * 32, chosen: 28, reason: 'the fft low-pass needs an even size, and 27px is odd (27.43px requested)' });
    assert.equal(json.stages[0].epochs_end, 60);
    assert.equal(json.official_scripts, null);
  });

  it('JSON: name, model, curriculum, speedups, equivalent epochs and stages', () => {
    const { json } = explain(experiment({ curriculum: library('efficienttrain_pp', { equivalent_epochs: 200 }) }), 'resnet50');
    assert.equal(json.name, 'exp');
    assert.equal(json.model, 'resnet50');
    assert.equal(json.model_family, 'resnet');
    assert.equal(json.curriculum, 'efficienttrain_pp');
    assert.equal(json.efficienttrain_pp_family, 'default');
    assert.equal(json.speedup.toFixed(3), '1.500');
    assert.equal(json.speedup_pixel_proxy.toFixed(3), '1.501');
    assert.equal(json.equivalent_epochs.toFixed(3), '200.000');
    assert.equal(json.stages.length, 10);
    assert.deepEqual(Object.keys(json.stages[0]).sort(), [
      'batch_split', 'compute_end', 'compute_macs', 'compute_start', 'declared_share', 'epochs', 'images', 'index', 'low_pass', 'pixel_proxy_macs_per_image',
      'randaugment', 'replay', 'requested_resolution', 'resolution', 'rounding', 'share', 'steps', 'training_macs_per_image',
    ]);
    assert.equal(json.official_scripts!.stages[0].virtualEpochs, 1088);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(json)));
  });

  it('gives nothing for an experiment without a schedule', () => {
    const exp = experiment({ curriculum: library('efficienttrain_plus') });
    assert.equal(explainExperiment({ experiment: exp, spec: specOf('resnet50'), schedule: undefined }), undefined);
  });
});
