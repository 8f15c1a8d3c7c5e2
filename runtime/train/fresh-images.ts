// The order in which the run reads its training images: one endless sequence of epochs, each a
// seeded permutation of the data set (the data layer's BatchLoader derives it from the seed and
// the epoch), read across stage boundaries without restarting. A run's position in it is one
// number, the fresh-image cursor, which is all a checkpoint needs to continue the same order.
import { BatchLoader, type ImageDataset } from '../data/index.js';

export class FreshImageOrder {
  private readonly loader: BatchLoader;
  readonly size: number;

  constructor(data: ImageDataset, seed: number) {
    this.loader = new BatchLoader(data, { batchSize: 1, seed, shuffle: true, dropLast: true });
    this.size = data.count;
  }

  /** Data-set positions of the `count` images from `cursor` on. */
  take(cursor: number, count: number): Int32Array {
    const out = new Int32Array(count);
    let filled = 0;
    while (filled < count) {
      const at = cursor + filled;
      const epoch = Math.floor(at / this.size);
      const offset = at - epoch * this.size;
      const order = this.loader.epochOrder(epoch);
      const n = Math.min(count - filled, this.size - offset);
      out.set(order.subarray(offset, offset + n), filled);
      filled += n;
    }
    return out;
  }
}
