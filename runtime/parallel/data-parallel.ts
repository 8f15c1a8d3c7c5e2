// Synchronous data parallelism over worker threads, each with its own wasm backend.
//
// Every step: the batch is split into one shard per worker; each worker computes the
// mean loss and its gradients on its shard and writes them to shared memory; the
// coordinator averages them, weighting each shard by its size (which gives exactly
// the gradient of the mean loss over the whole batch); every worker then applies the
// same averaged gradients with its own copy of the optimiser. Replicas start from the
// weights of worker 0, so they stay identical. Gradients travel through shared
// memory; only shards of the batch and small control messages are posted.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../start-worker.js';
import type { Reply, Request, WorkerSetup } from './protocol.js';
import type { ArrayWithShape } from './replica.js';
import { shardSizes, splitBatch } from './shards.js';

export interface DataParallelOptions {
  /** URL (file: or absolute path) of an ES module exporting createReplica(options). */
  replicaModule: string;
  /** Passed to createReplica in every worker; must survive structured cloning. */
  replicaOptions?: unknown;
  /** Number of worker threads (default 2). */
  workers?: number;
  /** wasm threads inside each worker (default 1). */
  threadsPerWorker?: number;
}

interface Channel {
  worker: Worker;
  gradients: Float32Array;
  pending: ((reply: Reply) => void)[];
  failure?: Error;
}

/** Starts one worker running replica-worker.ts with its setup. */
function startReplicaWorker(setup: WorkerSetup): Worker {
  return startWorker(import.meta.url, 'replica-worker', setup);
}

function request(channel: Channel, message: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
  if (channel.failure) return Promise.reject(channel.failure);
  return new Promise((resolve) => {
    channel.pending.push(resolve);
    channel.worker.postMessage(message, transfer);
  });
}

function expect<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind === 'error') throw new Error(`data-parallel worker failed: ${reply.message}`);
  if (reply.kind !== kind) throw new Error(`data-parallel worker answered '${reply.kind}' where '${kind}' was expected`);
  return reply as Extract<Reply, { kind: K }>;
}

export class DataParallelTrainer {
  private constructor(
    private readonly channels: Channel[],
    private readonly averaged: Float32Array,
    /** Shapes of the trainable variables, in replica order. */
    readonly shapes: number[][],
    /** How each worker's backend describes itself. */
    readonly backend: string,
  ) {}

  static async start(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const count = options.workers ?? 2;
    if (!Number.isInteger(count) || count < 1) throw new Error(`workers must be a positive integer, got ${count}`);
    const setup: WorkerSetup = {
      replicaModule: options.replicaModule,
      replicaOptions: options.replicaOptions,
      threads: options.threadsPerWorker ?? 1,
    };
    const settled = await Promise.allSettled(Array.from({ length: count }, () => DataParallelTrainer.spawn(setup)));
    const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(started.map((s) => s.channel.worker.terminate()));
      throw failed.reason;
    }
    const { shapes, backend } = started[0]!.ready;
    const total = shapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
    const averaged = new SharedArrayBuffer(4 * total);
    const trainer = new DataParallelTrainer(
      started.map((s) => s.channel),
      new Float32Array(averaged),
      shapes,
      backend,
    );
    try {
      const attached = await Promise.all(trainer.channels.map((c) => request(c, { kind: 'attach', averaged })));
      attached.forEach((r) => expect(r, 'done'));
      await trainer.setWeights(await trainer.getWeights());
    } catch (err) {
      await trainer.close();
      throw err;
    }
    return trainer;
  }

  private static async spawn(setup: WorkerSetup): Promise<{ channel: Channel; ready: Extract<Reply, { kind: 'ready' }> }> {
    const worker = startReplicaWorker(setup);
    const channel: Channel = { worker, gradients: new Float32Array(0), pending: [] };
    const ready = new Promise<Reply>((resolve) => channel.pending.push(resolve));
    worker.on('message', (reply: Reply) => channel.pending.shift()?.(reply));
    const fail = (err: Error): void => {
      channel.failure = err;
      for (const resolve of channel.pending.splice(0)) resolve({ kind: 'error', message: err.message });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    let reply: Extract<Reply, { kind: 'ready' }>;
    try {
      reply = expect(await ready, 'ready');
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    channel.gradients = new Float32Array(reply.gradients);
    return { channel, ready: reply };
  }

  get workers(): number {
    return this.channels.length;
  }

  /** Current weights of one replica (by default worker 0; all hold the same). */
  async getWeights(worker = 0): Promise<Float32Array[]> {
    const channel = this.channels[worker];
    if (channel === undefined) throw new Error(`no worker ${worker}: there are ${this.channels.length}`);
    return expect(await request(channel, { kind: 'get-weights' }), 'weights').weights;
  }

  async setWeights(weights: Float32Array[]): Promise<void> {
    const replies = await Promise.all(this.channels.map((c) => request(c, { kind: 'set-weights', weights })));
    replies.forEach((r) => expect(r, 'done'));
  }

  /** One synchronous step on a batch; returns the mean loss over the whole batch. */
  async step(x: ArrayWithShape, y: ArrayWithShape): Promise<number> {
    const count = x.shape[0]!;
    if (y.shape[0] !== count) throw new Error(`x has ${count} examples but y has ${y.shape[0]}`);
    const sizes = shardSizes(count, Math.min(this.channels.length, count));
    const xs = splitBatch(x, sizes);
    const ys = splitBatch(y, sizes);
    const used = this.channels.slice(0, sizes.length);
    const replies = await Promise.all(
      used.map((c, i) =>
        request(c, { kind: 'gradients', x: xs[i]!, y: ys[i]! }, [xs[i]!.data.buffer as ArrayBuffer, ys[i]!.data.buffer as ArrayBuffer]),
      ),
    );
    const losses = replies.map((r) => expect(r, 'loss').loss);

    this.averaged.fill(0);
    used.forEach((c, i) => {
      const weight = sizes[i]! / count;
      const g = c.gradients;
      const avg = this.averaged;
      for (let j = 0; j < avg.length; j++) avg[j]! += weight * g[j]!;
    });
    const applied = await Promise.all(this.channels.map((c) => request(c, { kind: 'apply' })));
    applied.forEach((r) => expect(r, 'done'));
    return losses.reduce((sum, loss, i) => sum + (loss * sizes[i]!) / count, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.worker.terminate()));
  }
}
