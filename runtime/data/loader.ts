/**
 * The input pipeline: shuffled batches of plain typed arrays, reproducible from a
 * seed. Each epoch has its own permutation, derived from (seed, epoch), so any
 * step's batch can be recomputed on its own (resuming from a checkpoint gives
 * exactly the batches an uninterrupted run would have seen).
 */
import { deriveSeed, Random } from '../random.js';
import { imageSize, type ImageDataset } from './dataset.js';

export interface Batch {
  /** Global step (0-based, counted across epochs). */
  readonly step: number;
  readonly epoch: number;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** count × height × width × channels bytes. */
  readonly images: Uint8Array;
  readonly labels: Int32Array;
  /** Positions of the batch's images in the dataset. */
  readonly indices: Int32Array;
}

export interface LoaderOptions {
  readonly batchSize: number;
  readonly seed: number;
  /** Default true. Without shuffling every epoch reads the dataset in order. */
  readonly shuffle?: boolean;
  /** Drop the last, incomplete batch of each epoch. Default true. */
  readonly dropLast?: boolean;
}

export interface StreamOptions<T> {
  /** First global step. Default 0. */
  readonly fromStep?: number;
  /** Number of batches to produce. Default: unbounded. */
  readonly steps?: number;
  /** How many batches to prepare ahead of the one being consumed. Default 1. */
  readonly prefetch?: number;
  /** Turns a raw batch into what the consumer trains on (augmentation, conversion). */
  readonly prepare?: (batch: Batch) => T | Promise<T>;
}

export class BatchLoader {
  readonly dataset: ImageDataset;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly stepsPerEpoch: number;
  private readonly permutations = new Map<number, Int32Array>();

  constructor(dataset: ImageDataset, options: LoaderOptions) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    }
    this.dropLast = options.dropLast ?? true;
    if (dataset.count < batchSize && this.dropLast) {
      throw new RangeError(`batch size ${batchSize} exceeds the ${dataset.count} images of the dataset`);
    }
    if (dataset.count === 0) throw new RangeError('the dataset holds no images');
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.seed = options.seed;
    this.shuffle = options.shuffle ?? true;
    this.stepsPerEpoch = this.dropLast ? Math.floor(dataset.count / batchSize) : Math.ceil(dataset.count / batchSize);
  }

  /** The order in which an epoch visits the dataset. */
  epochOrder(epoch: number): Int32Array {
    let order = this.permutations.get(epoch);
    if (order === undefined) {
      if (this.shuffle) {
        order = new Random(deriveSeed(this.seed, epoch)).permutation(this.dataset.count);
      } else {
        order = new Int32Array(this.dataset.count);
        for (let i = 0; i < order.length; i++) order[i] = i;
      }
      // Two epochs are kept: prefetching may straddle an epoch boundary.
      if (this.permutations.size >= 2) this.permutations.delete(this.permutations.keys().next().value!);
      this.permutations.set(epoch, order);
    }
    return order;
  }

  /** Dataset positions of the images of a global step. */
  indicesAt(step: number): Int32Array {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`step must be a non-negative integer, got ${step}`);
    const epoch = Math.floor(step / this.stepsPerEpoch);
    const first = (step - epoch * this.stepsPerEpoch) * this.batchSize;
    const last = Math.min(first + this.batchSize, this.dataset.count);
    return this.epochOrder(epoch).slice(first, last);
  }

  /** Gathers the batch of a global step into fresh contiguous arrays. */
  batchAt(step: number): Batch {
    const { dataset } = this;
    const indices = this.indicesAt(step);
    const size = imageSize(dataset);
    const images = new Uint8Array(indices.length * size);
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      images.set(dataset.images.subarray(index * size, (index + 1) * size), i * size);
      labels[i] = dataset.labels[index];
    }
    return {
      step,
      epoch: Math.floor(step / this.stepsPerEpoch),
      count: indices.length,
      height: dataset.height,
      width: dataset.width,
      channels: dataset.channels,
      images,
      labels,
      indices,
    };
  }

  /**
   * Batches from `fromStep` on, each passed through `prepare`. While the consumer
   * works on batch k, batches k+1 … k+prefetch are already scheduled: their
   * preparation runs whenever the consumer awaits (a backend readback, file I/O, a
   * worker), so preparation overlaps training as far as the consumer yields.
   */
  async *stream<T = Batch>(options: StreamOptions<T> = {}): AsyncGenerator<T, void, undefined> {
    const fromStep = options.fromStep ?? 0;
    const end = fromStep + (options.steps ?? Number.POSITIVE_INFINITY);
    const prefetch = options.prefetch ?? 1;
    if (!Number.isInteger(prefetch) || prefetch < 0) {
      throw new RangeError(`prefetch must be a non-negative integer, got ${prefetch}`);
    }
    const prepare = options.prepare ?? ((batch: Batch) => batch as unknown as T);
    const pending: Promise<T>[] = [];
    let next = fromStep;
    const fill = (ahead: number): void => {
      while (pending.length < ahead && next < end) {
        const step = next++;
        const job = new Promise<T>((resolve, reject) => {
          setImmediate(() => {
            try {
              resolve(prepare(this.batchAt(step)));
            } catch (error) {
              reject(error);
            }
          });
        });
        job.catch(() => undefined); // a failure surfaces when the consumer reaches that batch
        pending.push(job);
      }
    };
    for (;;) {
      fill(1 + prefetch);
      const current = pending.shift();
      if (current === undefined) return;
      // `prefetch` later batches stay scheduled while this one is consumed.
      yield await current;
    }
  }
}
