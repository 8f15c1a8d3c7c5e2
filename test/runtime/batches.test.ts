import assert from 'node:assert/strict';
import type { PlanCrop } from '../../plan/types.js';
import type { ImageDataset } from '../../runtime/data/index.js';
import { Random } from '../../runtime/random.js';
import { normalisationFor, stagePipeline, stageRandAugment, trainingBatch, type StageBatchSpec } from '../../runtime/train/batches.js';
import { lowPassBytes, normalize, randomCropBox, resizeImageInto } from '../../runtime/transforms/index.js';

const SIZE = 8;

/** Four 8×8 grey images with no left-right symmetry. */
function data(): ImageDataset {
  const images = new Uint8Array(4 * SIZE * SIZE);
  for (let n = 0; n < 4; n++) for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) images[(n * SIZE + y) * SIZE + x] = (x * 29 + y * 3 + n * 40) % 256;
  return { count: 4, height: SIZE, width: SIZE, channels: 1, images, labels: Int32Array.from([0, 1, 2, 3]), classes: 10 };
}

/** A stage at full resolution with nothing but the crop and flip under test. */
function spec(overrides: Partial<StageBatchSpec>): StageBatchSpec {
  return {
    resolution: SIZE,
    crop: { kind: 'none' },
    hflip: 0,
    lowPass: 'area',
    randAugment: { m: 0, n: 0, mstd: 0, timm_config: 'rand-m0-n0-mstd0-inc1' },
    replay: { replayTimes: 1, bufferBatches: 0, seed: 1 },
    randomErasing: 0,
    mixupAlpha: 0,
    cutmixAlpha: 0,
    labelSmoothing: 0,
    classes: 10,
    normalisation: normalisationFor(1),
    ...overrides,
  };
}

const norm = normalisationFor(1);
const batchOf = (s: StageBatchSpec, seed = 5) => trainingBatch(data(), [0, 1, 2, 3], stagePipeline(s), new Random(seed));

describe('training batches: crop, flip and RandAugment at full resolution, then the low-pass', () => {
  it('leaves the images as they are without a crop or flip', () => {
    const batch = batchOf(spec({}));
    assert.deepEqual(batch.images, normalize(data().images, 1, norm.mean, norm.std));
  });

  it('mirrors every image left-right with flip probability 1', () => {
    const source = data().images;
    const mirrored = new Uint8Array(source.length);
    for (let row = 0; row < source.length / SIZE; row++) for (let x = 0; x < SIZE; x++) mirrored[row * SIZE + x] = source[row * SIZE + SIZE - 1 - x];
    assert.deepEqual(batchOf(spec({ hflip: 1 })).images, normalize(mirrored, 1, norm.mean, norm.std));
  });

  it('keeps the whole image with a crop of area 100% and aspect ratio 1', () => {
    const batch = batchOf(spec({ crop: { kind: 'random_resized', scale_fraction: [1, 1], aspect_ratio: [1, 1], interpolation: 'bilinear' } }));
    assert.deepEqual(batch.images, normalize(data().images, 1, norm.mean, norm.std));
  });

  it('crops at full resolution, then low-passes the crop to the stage resolution', () => {
    const crop: PlanCrop = { kind: 'random_resized', scale_fraction: [0.25, 0.25], aspect_ratio: [1, 1], interpolation: 'bilinear' };
    const batch = batchOf(spec({ crop, resolution: 4 }), 9);
    const random = new Random(9);
    const source = data().images;
    const cropped = new Uint8Array(source.length);
    for (let n = 0; n < 4; n++) {
      const box = randomCropBox(SIZE, SIZE, random, [0.25, 0.25], [1, 1]);
      assert.deepEqual([box.height, box.width], [4, 4]);
      resizeImageInto(source, n * SIZE * SIZE, SIZE, SIZE, 1, SIZE, SIZE, 'bilinear', cropped, n * SIZE * SIZE, box);
    }
    const expected = normalize(lowPassBytes('area', cropped, 4, SIZE, SIZE, 1, 4), 1, norm.mean, norm.std);
    assert.equal(batch.resolution, 4);
    assert.deepEqual(batch.images, expected);
    assert.notDeepEqual(batch.images, batchOf(spec({ resolution: 4 }), 9).images);
  });

  it('applies RandAugment to the full-resolution image, before the low-pass (the official order)', () => {
    const randAugment = { m: 9, n: 2, mstd: 0, timm_config: 'rand-m9-n2-mstd0-inc1' };
    const batch = batchOf(spec({ randAugment, resolution: 4 }), 3);
    const augmented = stageRandAugment(randAugment, norm)!.batch(data().images, 4, SIZE, SIZE, 1, new Random(3));
    const expected = normalize(lowPassBytes('area', augmented, 4, SIZE, SIZE, 1, 4), 1, norm.mean, norm.std);
    assert.deepEqual(batch.images, expected);
  });
});
