import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { selectBackend } from '../../runtime/backend/select.js';
import { DataParallelTrainer } from '../../runtime/parallel/data-parallel.js';
import type { ArrayWithShape } from '../../runtime/parallel/replica.js';
import { shardSizes, splitBatch } from '../../runtime/parallel/shards.js';
import { assertClose, randomArray } from '../kernels/compare.js';
import { createReplica, type TinyCnnOptions } from './fixtures/tiny-cnn.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const replicaModule = new URL(`./fixtures/tiny-cnn${ext}`, import.meta.url).href;

function batch(count: number, seed: number): { x: ArrayWithShape; y: ArrayWithShape } {
  const labels = Array.from({ length: count }, (_, i) => (i * 3 + seed) % 10);
  const y = new Float32Array(count * 10);
  labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { shape: [count, 8, 8, 1], data: randomArray(count * 64, seed) }, y: { shape: [count, 10], data: y } };
}

/** The same step in this thread, on the whole batch, from the given weights. */
async function singleProcessStep(options: TinyCnnOptions, weights: Float32Array[], b: { x: ArrayWithShape; y: ArrayWithShape }) {
  await selectBackend({ backend: 'wasm', threads: 1 });
  const replica = createReplica(options);
  replica.variables.forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape)));
  const x = tf.tensor(b.x.data, b.x.shape);
  const y = tf.tensor(b.y.data, b.y.shape);
  const { value, grads } = tf.variableGrads(() => replica.loss(x, y), replica.variables);
  replica.optimizer.applyGradients(grads);
  const result = { loss: value.dataSync()[0]!, weights: replica.variables.map((v) => v.dataSync() as Float32Array) };
  tf.dispose([x, y, value, ...Object.values(grads), ...replica.variables]);
  return result;
}

describe('runtime/parallel shards', () => {
  it('splits a batch into near-equal contiguous shards', () => {
    assert.deepEqual(shardSizes(10, 2), [5, 5]);
    assert.deepEqual(shardSizes(7, 2), [4, 3]);
    assert.deepEqual(shardSizes(2, 3), [1, 1, 0]);
    const parts = splitBatch({ shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, [2, 1]);
    assert.deepEqual(parts.map((p) => [p.shape, Array.from(p.data)]), [
      [[2, 2], [1, 2, 3, 4]],
      [[1, 2], [5, 6]],
    ]);
    assert.throws(() => splitBatch({ shape: [3, 2], data: new Float32Array(6) }, [2, 2]), /batch has 3 examples, shards add up to 4/);
  });
});

describe('DataParallelTrainer (two worker threads, wasm each)', function () {
  this.timeout(60000);
  let previous: string | null;
  let trainer: DataParallelTrainer | undefined;
  const options: TinyCnnOptions = { optimizer: 'sgd', learningRate: 0.5, seed: 3 };

  before(async () => {
    previous = tf.getBackend();
    trainer = await DataParallelTrainer.start({ replicaModule, replicaOptions: options, workers: 2 });
  });
  after(async () => {
    await trainer?.close();
    if (previous) await tf.setBackend(previous);
  });

  it('starts every replica from the same weights', async () => {
    assert.equal(trainer!.workers, 2);
    assert.match(trainer!.backend, /^backend wasm/);
    assert.deepEqual(trainer!.shapes, [[3, 3, 1, 4], [4], [64, 10], [10]]);
    assert.deepEqual(await trainer!.getWeights(1), await trainer!.getWeights(0));
  });

  for (const count of [10, 7]) {
    it(`takes the same step as one process on the whole batch (${count} examples)`, async () => {
      const before = await trainer!.getWeights();
      const b = batch(count, count);
      const expected = await singleProcessStep(options, before, b);
      const loss = await trainer!.step(b.x, b.y);
      assertClose({ shape: [], data: [loss] }, { shape: [], data: [expected.loss] }, 'loss', 1e-5);
      const after = await trainer!.getWeights();
      after.forEach((w, i) =>
        assertClose({ shape: trainer!.shapes[i]!, data: w }, { shape: trainer!.shapes[i]!, data: expected.weights[i]! }, `weight ${i}`, 1e-5),
      );
      assert.ok(after.some((w, i) => w.some((v, j) => v !== before[i]![j])), 'the step changed the weights');
      assert.deepEqual(await trainer!.getWeights(1), after, 'replicas stay identical');
    });
  }

  it('reports a broken replica module clearly', async () => {
    await assert.rejects(
      DataParallelTrainer.start({ replicaModule: new URL(`../../runtime/parallel/shards${ext}`, import.meta.url).href, workers: 1 }),
      /does not export createReplica\(options\)/,
    );
  });
});
