import assert from 'node:assert/strict';
import { chunkSizes, ReplayBuffer, replayLoaderBatchSize } from '../../runtime/transforms/replay-buffer.js';

/** A loader batch whose labels encode (step, position) and whose pixels are label + 0.25. */
function freshBatch(step: number, count: number, itemSize = 4) {
  const labels = Int32Array.from({ length: count }, (_, i) => step * 1000 + i);
  const images = new Float32Array(count * itemSize);
  labels.forEach((label, i) => images.fill(label / 1000 + 0.25, i * itemSize, (i + 1) * itemSize));
  return { images, labels, itemSize };
}

describe('replay buffer', () => {
  it('returns the fresh batch plus (r−1)·32 chunks: batch/r fresh images become batch images', () => {
    const buffer = new ReplayBuffer({ replayTimes: 4, bufferBatches: 2, seed: 0 });
    const loaderBatch = replayLoaderBatchSize(256, 4);
    assert.equal(loaderBatch, 64);
    const out = buffer.step(freshBatch(0, loaderBatch));
    assert.equal(out.freshCount, 64);
    assert.equal(out.replayedChunks, 96);
    assert.equal(out.count, 256);
    assert.equal(out.images.length, 256 * 4);
    assert.equal(buffer.size, 32);
    // The fresh batch comes first, in order.
    assert.deepEqual(Array.from(out.labels.subarray(0, 64)), Array.from({ length: 64 }, (_, i) => i));
  });

  it('splits batches like torch.tensor_split and keeps chunks whole', () => {
    assert.deepEqual(chunkSizes(64, 32), new Array(32).fill(2));
    assert.deepEqual(chunkSizes(70, 32).slice(0, 7), [3, 3, 3, 3, 3, 3, 2]);
    assert.equal(chunkSizes(70, 32).reduce((a, b) => a + b), 70);
    const buffer = new ReplayBuffer({ replayTimes: 2, bufferBatches: 1, seed: 1 });
    const out = buffer.step(freshBatch(0, 64));
    // Replayed images arrive in pairs (chunks of 2 consecutive fresh images).
    for (let i = 64; i < out.count; i += 2) assert.equal(out.labels[i + 1], out.labels[i] + 1);
  });

  it('evicts the oldest batch first (FIFO of K·32 chunks)', () => {
    const buffer = new ReplayBuffer({ replayTimes: 2, bufferBatches: 2, seed: 2 });
    for (let step = 0; step < 3; step++) buffer.step(freshBatch(step, 32));
    assert.equal(buffer.size, 64);
    const steps = buffer.chunkLabels().map((labels) => Math.floor(labels[0] / 1000));
    assert.deepEqual(steps, [...new Array(32).fill(1), ...new Array(32).fill(2)]);
    // Replayed chunks only come from the two batches still held.
    const out = buffer.step(freshBatch(3, 32));
    for (const label of out.labels.subarray(32)) assert.ok(label >= 2000, `label ${label} from an evicted batch`);
  });

  it('draws uniformly over the buffer, fresh chunks included', () => {
    const buffer = new ReplayBuffer({ replayTimes: 4, bufferBatches: 4, seed: 3 });
    for (let step = 0; step < 4; step++) buffer.step(freshBatch(step, 32));
    const counts = [0, 0, 0, 0];
    for (let step = 4; step < 204; step++) {
      const out = buffer.step(freshBatch(step, 32));
      for (const label of out.labels.subarray(32)) {
        const age = step - Math.floor(label / 1000);
        assert.ok(age >= 0 && age < 4, `chunk of step ${Math.floor(label / 1000)} replayed at step ${step}`);
        counts[age]++;
      }
    }
    // Chunks of the 4 most recent batches (the fresh one included), 96 draws per step: 4800 each on average.
    for (const count of counts) assert.ok(Math.abs(count - 4800) < 300, `count ${count}`);
  });

  it('is deterministic under a seed', () => {
    const run = (seed: number) => {
      const buffer = new ReplayBuffer({ replayTimes: 3, bufferBatches: 3, seed });
      return [0, 1, 2, 3].map((step) => Array.from(buffer.step(freshBatch(step, 32)).labels));
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  it('stores and returns images in half precision', () => {
    const buffer = new ReplayBuffer({ replayTimes: 2, bufferBatches: 1, seed: 4 });
    const images = Float32Array.from({ length: 32 }, (_, i) => 0.1 * i + 1e-4);
    const out = buffer.step({ images, labels: Int32Array.from({ length: 32 }, (_, i) => i), itemSize: 1 });
    for (let i = 0; i < out.count; i++) {
      const original = images[out.labels[i]];
      assert.ok(Math.abs(out.images[i] - original) <= Math.abs(original) * 2 ** -11);
    }
    assert.notEqual(out.images[1], images[1]);
  });

  it('passes batches through untouched when r = 1', () => {
    const buffer = new ReplayBuffer({ replayTimes: 1, bufferBatches: 0, seed: 0 });
    const batch = freshBatch(0, 64);
    const out = buffer.step(batch);
    assert.equal(out.images, batch.images);
    assert.equal(out.labels, batch.labels);
    assert.equal(out.count, 64);
    assert.equal(buffer.size, 0);
  });

  it('rejects bad settings and a change of image size', () => {
    assert.throws(() => new ReplayBuffer({ replayTimes: 2, bufferBatches: 0, seed: 0 }), /needs a buffer of K ≥ 1/);
    assert.throws(() => new ReplayBuffer({ replayTimes: 1.5, bufferBatches: 2, seed: 0 }), /integer ≥ 1/);
    assert.throws(() => replayLoaderBatchSize(100, 3), /not divisible by the replay times r = 3/);
    const buffer = new ReplayBuffer({ replayTimes: 2, bufferBatches: 1, seed: 0 });
    buffer.step(freshBatch(0, 32, 4));
    assert.throws(() => buffer.step(freshBatch(1, 32, 9)), /clear it when the resolution changes/);
    buffer.clear();
    assert.equal(buffer.step(freshBatch(1, 32, 9)).count, 64);
  });
});
