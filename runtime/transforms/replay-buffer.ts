/**
 * The replay buffer of EfficientTrain++ (for input pipelines that cannot keep up
 * with small, cheap low-resolution steps). Each fresh loader batch is split into
 * 32 chunks that are appended to a FIFO buffer of K·32 chunks (the oldest are
 * evicted); the step then trains on the fresh batch plus (r−1)·32 chunks drawn
 * uniformly, with replacement, from the whole buffer (fresh chunks included).
 * The loader batch is batch/r, so a step still sees `batch` images. Chunks are
 * stored in half precision, and the fresh part is returned in half precision too,
 * as the reference code casts the loader's output to fp16 before buffering.
 * With r = 1 the buffer is a pass-through.
 */
import { Random } from '../random.js';
import { decodeHalf, encodeHalf } from './half-float.js';

/** The reference implementation splits every fresh batch into this many chunks. */
export const REPLAY_CHUNKS_PER_BATCH = 32;

export interface ReplayOptions {
  /** r: every fresh image is used about r times. 1 disables the buffer. */
  readonly replayTimes: number;
  /** K: capacity in loader batches (K·32 chunks). */
  readonly bufferBatches: number;
  readonly seed: number;
  /** Chunks per fresh batch. Default 32. */
  readonly chunksPerBatch?: number;
}

export interface ReplayInput {
  /** count × itemSize float values (e.g. normalised images, channels last). */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** Values per item (height × width × channels). */
  readonly itemSize: number;
}

export interface ReplayOutput {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly freshCount: number;
  readonly replayedChunks: number;
}

interface Chunk {
  readonly images: Uint16Array;
  readonly labels: Int32Array;
}

/** The loader's batch size for a step batch and r; the step batch must be a multiple of r. */
export function replayLoaderBatchSize(batchSize: number, replayTimes: number): number {
  if (!Number.isInteger(replayTimes) || replayTimes < 1) throw new RangeError(`replay times r must be an integer ≥ 1, got ${replayTimes}`);
  if (batchSize % replayTimes !== 0) {
    throw new RangeError(`batch size ${batchSize} is not divisible by the replay times r = ${replayTimes}`);
  }
  return batchSize / replayTimes;
}

/** Sizes of torch.tensor_split(n items, parts): the first n mod parts chunks get one more. */
export function chunkSizes(count: number, parts: number): number[] {
  const base = Math.floor(count / parts);
  const extra = count % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

export class ReplayBuffer {
  readonly replayTimes: number;
  readonly bufferBatches: number;
  readonly chunksPerBatch: number;
  readonly capacity: number;
  private readonly random: Random;
  private readonly ring: Chunk[] = [];
  private head = 0;
  private itemSize: number | undefined;

  constructor(options: ReplayOptions) {
    const { replayTimes, bufferBatches } = options;
    if (!Number.isInteger(replayTimes) || replayTimes < 1) throw new RangeError(`replay times r must be an integer ≥ 1, got ${replayTimes}`);
    if (!Number.isInteger(bufferBatches) || bufferBatches < 0) throw new RangeError(`replay buffer size K must be an integer ≥ 0, got ${bufferBatches}`);
    if (replayTimes > 1 && bufferBatches < 1) throw new RangeError(`replay times r = ${replayTimes} needs a buffer of K ≥ 1 batches`);
    this.replayTimes = replayTimes;
    this.bufferBatches = bufferBatches;
    this.chunksPerBatch = options.chunksPerBatch ?? REPLAY_CHUNKS_PER_BATCH;
    if (!Number.isInteger(this.chunksPerBatch) || this.chunksPerBatch < 1) {
      throw new RangeError(`chunks per batch must be a positive integer, got ${this.chunksPerBatch}`);
    }
    this.capacity = bufferBatches * this.chunksPerBatch;
    this.random = new Random(options.seed);
  }

  /** Number of chunks held. */
  get size(): number {
    return this.ring.length;
  }

  /** Label arrays of the held chunks, oldest first (for inspection and tests). */
  chunkLabels(): Int32Array[] {
    return this.ring.map((_, i) => this.chunkAt(i).labels);
  }

  clear(): void {
    this.ring.length = 0;
    this.head = 0;
    this.itemSize = undefined;
  }

  /** Buffers a fresh batch and returns the step's batch (fresh + replayed chunks). */
  step(fresh: ReplayInput): ReplayOutput {
    const count = fresh.labels.length;
    if (fresh.images.length !== count * fresh.itemSize) {
      throw new RangeError(`expected ${count} items of ${fresh.itemSize} values, got ${fresh.images.length} values`);
    }
    if (this.replayTimes === 1) {
      return { images: fresh.images, labels: fresh.labels, count, freshCount: count, replayedChunks: 0 };
    }
    if (this.itemSize !== undefined && this.itemSize !== fresh.itemSize) {
      throw new RangeError(
        `the replay buffer holds items of ${this.itemSize} values but this batch has ${fresh.itemSize}: clear it when the resolution changes`,
      );
    }
    this.itemSize = fresh.itemSize;
    const size = fresh.itemSize;
    const freshChunks: Chunk[] = [];
    let start = 0;
    for (const n of chunkSizes(count, this.chunksPerBatch)) {
      const chunk = {
        images: encodeHalf(fresh.images.subarray(start * size, (start + n) * size)),
        labels: fresh.labels.slice(start, start + n),
      };
      freshChunks.push(chunk);
      this.append(chunk);
      start += n;
    }
    const draws = (this.replayTimes - 1) * this.chunksPerBatch;
    const drawn: Chunk[] = [];
    for (let i = 0; i < draws; i++) drawn.push(this.chunkAt(this.random.int(0, this.ring.length)));
    const parts = [...freshChunks, ...drawn];
    const total = parts.reduce((sum, c) => sum + c.labels.length, 0);
    const images = new Float32Array(total * size);
    const labels = new Int32Array(total);
    let at = 0;
    for (const chunk of parts) {
      decodeHalf(chunk.images, images, at * size);
      labels.set(chunk.labels, at);
      at += chunk.labels.length;
    }
    return { images, labels, count: total, freshCount: count, replayedChunks: draws };
  }

  /** FIFO append: once full, the oldest chunk is overwritten. */
  private append(chunk: Chunk): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(chunk);
    } else {
      this.ring[this.head] = chunk;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** The i-th chunk counting from the oldest. */
  private chunkAt(i: number): Chunk {
    return this.ring[(this.head + i) % this.ring.length];
  }
}
