// Where the training loop gets its batches. The loop asks for batches in step order and takes
// them in that order; a source prepares them with the stage's pipeline (batches.ts), either on
// the main thread when the loop takes them (InlineBatchSource) or ahead of time on a worker
// thread while the backend trains on the previous batch (WorkerBatchSource). Both run the
// same plain-JavaScript pipeline in the same order, so they give the same batches to the bit.
import type { Worker } from 'node:worker_threads';
import type { ImageDataset } from '../data/index.js';
import { Random } from '../random.js';
import { startWorker } from '../start-worker.js';
import { stagePipeline, trainingBatch, type PreparedBatch, type StageBatchSpec, type StagePipeline } from './batches.js';

export interface BatchRequest {
  /** Data-set positions of the step's fresh images. */
  indices: Int32Array;
  /** Seed of the step's augmentation draws. */
  augmentSeed: number;
}

export interface BatchSource {
  /** Where batches are prepared, for the run's description. */
  readonly where: 'main thread' | 'worker thread';
  /** Starts a stage: its pipeline, with an empty replay buffer. */
  beginStage(spec: StageBatchSpec): void;
  /**
   * Asks for the next batch of the stage. A `replayOnly` request runs the pipeline for its
   * effect on the replay buffer (refilling it on resume) and yields no batch.
   */
  request(request: BatchRequest, replayOnly?: boolean): void;
  /** The oldest batch asked for and not taken yet. */
  take(): Promise<PreparedBatch>;
  /** Ends the source (a worker is stopped; batches not taken are dropped). */
  close(): Promise<void>;
}

/** Prepares each batch on the main thread when it is taken. */
export class InlineBatchSource implements BatchSource {
  readonly where = 'main thread';
  private pipeline: StagePipeline | null = null;
  private readonly queue: { request: BatchRequest; replayOnly: boolean }[] = [];

  constructor(private readonly data: ImageDataset) {}

  beginStage(spec: StageBatchSpec): void {
    this.queue.length = 0;
    this.pipeline = stagePipeline(spec);
  }

  request(request: BatchRequest, replayOnly = false): void {
    this.queue.push({ request, replayOnly });
  }

  async take(): Promise<PreparedBatch> {
    for (;;) {
      const next = this.queue.shift();
      if (next === undefined) throw new Error('a batch was taken that was never asked for');
      if (this.pipeline === null) throw new Error('a batch was asked for before its stage began');
      const batch = trainingBatch(this.data, next.request.indices, this.pipeline, new Random(next.request.augmentSeed));
      if (!next.replayOnly) return batch;
    }
  }

  async close(): Promise<void> {
    this.queue.length = 0;
  }
}

/** What the worker receives once: the training images in shared memory. */
export interface BatchWorkerData {
  images: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
}

export type BatchWorkerMessage =
  | { kind: 'stage'; spec: StageBatchSpec }
  | { kind: 'batch'; id: number; indices: Int32Array; augmentSeed: number; replayOnly: boolean };

export type BatchWorkerReply =
  | { kind: 'ready' }
  | { kind: 'batch'; id: number; batch: PreparedBatch }
  | { kind: 'error'; id: number; message: string };

interface Pending {
  resolve: (batch: PreparedBatch) => void;
  reject: (error: Error) => void;
}

/** Prepares batches on a worker thread, in the order asked, while the caller trains. */
export class WorkerBatchSource implements BatchSource {
  readonly where = 'worker thread';
  private nextId = 0;
  private readonly waiting = new Map<number, Pending>();
  /** Batches asked for (not replay-only), oldest first. */
  private readonly order: Promise<PreparedBatch>[] = [];
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly onReady: () => void,
  ) {
    worker.on('message', (reply: BatchWorkerReply) => {
      if (reply.kind === 'ready') return this.onReady();
      // A failed batch leaves the stage's replay buffer unknown: every later batch fails too.
      if (reply.kind === 'error') return this.fail(new Error(`preparing a batch: ${reply.message}`));
      this.waiting.get(reply.id)?.resolve(reply.batch);
      this.waiting.delete(reply.id);
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the batch worker stopped (exit code ${code})`));
    });
  }

  /** Starts a worker with a shared copy of the training images; resolves once it is ready. */
  static async start(data: ImageDataset): Promise<WorkerBatchSource> {
    const images = new SharedArrayBuffer(data.images.length);
    new Uint8Array(images).set(data.images);
    const labels = new SharedArrayBuffer(4 * data.labels.length);
    new Int32Array(labels).set(data.labels);
    const workerData: BatchWorkerData = {
      images,
      labels,
      count: data.count,
      height: data.height,
      width: data.width,
      channels: data.channels,
      classes: data.classes,
    };
    const worker = startWorker(import.meta.url, 'batch-worker', workerData);
    let source!: WorkerBatchSource;
    const ready = new Promise<void>((resolve, reject) => {
      source = new WorkerBatchSource(worker, resolve);
      source.failed = reject;
    });
    try {
      await ready;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return source;
  }

  /** Called with the first failure (start-up waits on it). */
  private failed: (error: Error) => void = () => undefined;

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.failed(error);
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }

  private post(message: BatchWorkerMessage): void {
    this.worker.postMessage(message);
  }

  beginStage(spec: StageBatchSpec): void {
    this.order.length = 0;
    this.post({ kind: 'stage', spec });
  }

  request(request: BatchRequest, replayOnly = false): void {
    const id = this.nextId++;
    if (!replayOnly) {
      const result = new Promise<PreparedBatch>((resolve, reject) => {
        if (this.failure !== null) reject(this.failure);
        else this.waiting.set(id, { resolve, reject });
      });
      // A failure surfaces when the loop takes that batch.
      result.catch(() => undefined);
      this.order.push(result);
    }
    if (this.failure === null) this.post({ kind: 'batch', id, indices: request.indices, augmentSeed: request.augmentSeed, replayOnly });
  }

  take(): Promise<PreparedBatch> {
    const next = this.order.shift();
    if (next === undefined) return Promise.reject(new Error('a batch was taken that was never asked for'));
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.order.length = 0;
    this.waiting.clear();
    await this.worker.terminate();
  }
}
