import assert from 'node:assert/strict';
import type { ImageDataset } from '../../runtime/data/dataset.js';
import { BatchLoader, type Batch } from '../../runtime/data/loader.js';

/** 50 images of 2×2×1 whose pixels all equal the image index; label = index mod 3. */
function dataset(count = 50): ImageDataset {
  const images = new Uint8Array(count * 4);
  for (let n = 0; n < count; n++) images.fill(n, n * 4, n * 4 + 4);
  return { count, height: 2, width: 2, channels: 1, images, labels: Int32Array.from({ length: count }, (_, n) => n % 3), classes: 3 };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('batch loader', () => {
  it('yields contiguous batches whose images and labels belong together', async () => {
    const loader = new BatchLoader(dataset(), { batchSize: 8, seed: 1 });
    assert.equal(loader.stepsPerEpoch, 6);
    const batches = await collect(loader.stream({ steps: 6 }));
    for (const batch of batches) {
      assert.equal(batch.count, 8);
      assert.equal(batch.images.length, 8 * 4);
      batch.indices.forEach((index, i) => {
        assert.deepEqual(Array.from(batch.images.subarray(i * 4, i * 4 + 4)), [index, index, index, index]);
        assert.equal(batch.labels[i], index % 3);
      });
    }
  });

  it('visits every image once per epoch in a seeded order that changes between epochs', () => {
    const loader = new BatchLoader(dataset(), { batchSize: 8, seed: 1, dropLast: false });
    assert.equal(loader.stepsPerEpoch, 7);
    const epoch = (e: number) => Array.from({ length: 7 }, (_, s) => Array.from(loader.indicesAt(e * 7 + s))).flat();
    const first = epoch(0);
    assert.equal(first.length, 50);
    assert.deepEqual([...first].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(first, Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(epoch(1), first);
    assert.equal(loader.batchAt(6).count, 2); // the last, incomplete batch
  });

  it('is deterministic for a seed and can resume at any step', async () => {
    const a = new BatchLoader(dataset(), { batchSize: 8, seed: 5 });
    const b = new BatchLoader(dataset(), { batchSize: 8, seed: 5 });
    const c = new BatchLoader(dataset(), { batchSize: 8, seed: 6 });
    const indices = (batches: Batch[]) => batches.map((x) => Array.from(x.indices));
    const full = indices(await collect(a.stream({ steps: 20 })));
    assert.deepEqual(indices(await collect(b.stream({ steps: 20 }))), full);
    assert.notDeepEqual(indices(await collect(c.stream({ steps: 20 }))), full);
    assert.deepEqual(indices(await collect(b.stream({ fromStep: 13, steps: 7 }))), full.slice(13));
  });

  it('reads in order without shuffling', () => {
    const loader = new BatchLoader(dataset(), { batchSize: 10, seed: 0, shuffle: false });
    assert.deepEqual(Array.from(loader.indicesAt(6)), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('prepares the next batch while the current one is being consumed', async () => {
    const loader = new BatchLoader(dataset(), { batchSize: 5, seed: 0 });
    const prepared: number[] = [];
    const seenWhenConsumed: number[][] = [];
    const prepare = (batch: Batch) => {
      prepared.push(batch.step);
      return batch.step;
    };
    for await (const step of loader.stream({ steps: 4, prefetch: 2, prepare })) {
      // A consumer that awaits (as a training step does) lets the next batches get ready.
      await new Promise((resolve) => setImmediate(resolve));
      seenWhenConsumed.push([step, ...prepared]);
    }
    assert.deepEqual(seenWhenConsumed.map(([step]) => step), [0, 1, 2, 3]);
    // While step 0 is consumed, steps 1 and 2 have been prepared; never more than 2 ahead.
    assert.deepEqual(seenWhenConsumed[0], [0, 0, 1, 2]);
    assert.deepEqual(seenWhenConsumed[1], [1, 0, 1, 2, 3]);
  });

  it('passes asynchronous preparation through and surfaces its errors at that batch', async () => {
    const loader = new BatchLoader(dataset(), { batchSize: 5, seed: 0 });
    const steps = await collect(loader.stream({ steps: 3, prepare: async (batch) => batch.step * 10 }));
    assert.deepEqual(steps, [0, 10, 20]);
    const received: number[] = [];
    await assert.rejects(async () => {
      for await (const step of loader.stream({
        steps: 5,
        prepare: (batch) => {
          if (batch.step === 2) throw new Error('augmentation failed at step 2');
          return batch.step;
        },
      })) {
        received.push(step);
      }
    }, /augmentation failed at step 2/);
    assert.deepEqual(received, [0, 1]);
  });

  it('rejects a batch larger than the dataset and bad arguments', () => {
    assert.throws(() => new BatchLoader(dataset(4), { batchSize: 8, seed: 0 }), /batch size 8 exceeds the 4 images/);
    assert.throws(() => new BatchLoader(dataset(), { batchSize: 0, seed: 0 }), /positive integer, got 0/);
    assert.throws(() => new BatchLoader(dataset(), { batchSize: 4, seed: 0 }).indicesAt(-1), /non-negative integer, got -1/);
  });
});
