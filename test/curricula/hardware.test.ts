import assert from 'node:assert/strict';
import { deviceHours, findProfile, HARDWARE_PROFILES, imagesPerSecond, wallHours } from '../../compiler/hardware.js';

describe('hardware profiles', () => {
  it('holds dense FP16/BF16 tensor-core peaks (no sparsity)', () => {
    assert.deepEqual(
      HARDWARE_PROFILES.map((p) => [p.name, p.peakTflops]),
      [
        ['v100', 125],
        ['a100', 312],
        ['h100', 989],
        ['rtx3090', 71],
      ],
    );
  });

  it('finds profiles whatever the case and separators', () => {
    assert.equal(findProfile('A100')?.name, 'a100');
    assert.equal(findProfile('rtx_3090')?.name, 'rtx3090');
    assert.equal(findProfile('tpu'), undefined);
  });

  it('device-hours = 2 × training MACs / (peak × utilisation) / 3600; wall time divides by the devices', () => {
    const a100 = findProfile('a100')!;
    assert.equal(deviceHours(1e18, a100, 0.5), (2e18 / (312e12 * 0.5)) / 3600);
    assert.equal(deviceHours(1e18, a100, 0.5).toFixed(3), '3.561');
    assert.equal(wallHours(1e18, a100, 0.5, 4), deviceHours(1e18, a100, 0.5) / 4);
    assert.equal(imagesPerSecond(12e9, a100, 0.4), (312e12 * 0.4) / 24e9);
  });
});
