import assert from 'node:assert/strict';
import type { ImageDataset } from '../../runtime/data/index.js';
import { InlineBatchSource, WorkerBatchSource, type BatchSource } from '../../runtime/train/batch-source.js';
import { normalisationFor, type PreparedBatch, type StageBatchSpec } from '../../runtime/train/batches.js';

function syntheticData(count: number): ImageDataset {
  const images = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
  return { count, height: 28, width: 28, channels: 1, images, labels: Int32Array.from({ length: count }, (_, i) => i % 10), classes: 10 };
}

const SPEC: StageBatchSpec = {
  resolution: 12,
  lowPass: 'fft',
  randAugment: { m: 5, n: 2, mstd: 0.5, timm_config: 'rand-m5-n2-mstd0.5-inc1' },
  replay: { replayTimes: 2, bufferBatches: 2, seed: 11 },
  crop: { kind: 'random_resized', scale_fraction: [0.08, 1], aspect_ratio: [0.75, 4 / 3], interpolation: 'bilinear' },
  hflip: 0.5,
  randomErasing: 0.25,
  mixupAlpha: 0.8,
  cutmixAlpha: 1,
  labelSmoothing: 0.1,
  classes: 10,
  normalisation: normalisationFor(1),
};

/** Three replay-only batches, then four batches asked for one ahead of taking, as the loop does. */
async function run(source: BatchSource): Promise<PreparedBatch[]> {
  source.beginStage(SPEC);
  const indices = (step: number) => Int32Array.from({ length: 16 }, (_, i) => (step * 16 + i) % 200);
  for (let step = 0; step < 3; step++) source.request({ indices: indices(step), augmentSeed: 100 + step }, true);
  const out: PreparedBatch[] = [];
  source.request({ indices: indices(3), augmentSeed: 103 });
  for (let step = 3; step < 7; step++) {
    if (step + 1 < 7) source.request({ indices: indices(step + 1), augmentSeed: 100 + step + 1 });
    out.push(await source.take());
  }
  return out;
}

describe('batch sources: the main thread and a worker thread', function () {
  this.timeout(30_000);
  const data = syntheticData(200);

  it('give the same batches to the bit, replayed images and mixed targets included', async () => {
    const inline = await run(new InlineBatchSource(data));
    const worker = await WorkerBatchSource.start(data);
    try {
      const fromWorker = await run(worker);
      assert.equal(fromWorker.length, 4);
      for (let i = 0; i < inline.length; i++) {
        assert.ok(fromWorker[i].count > 16, 'replayed images join the 16 fresh ones');
        assert.deepEqual(fromWorker[i], inline[i]);
      }
    } finally {
      await worker.close();
    }
  });

  it('a batch that cannot be prepared fails when taken, with the cause, and so do the later ones', async () => {
    const worker = await WorkerBatchSource.start(data);
    try {
      worker.beginStage(SPEC);
      worker.request({ indices: Int32Array.of(0, 1, 500, 3), augmentSeed: 1 });
      worker.request({ indices: Int32Array.of(0, 1, 2, 3), augmentSeed: 2 });
      await assert.rejects(worker.take(), /preparing a batch: image index 500 is outside 0 … 199/);
      await assert.rejects(worker.take(), /image index 500/);
    } finally {
      await worker.close();
    }
  });
});
