// Splitting a batch along its first axis into near-equal contiguous shards.
import type { ArrayWithShape } from './replica.js';

/** Sizes of `parts` contiguous shards of `count` examples (larger ones first). */
export function shardSizes(count: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`shard count must be a positive integer, got ${parts}`);
  const base = Math.floor(count / parts);
  const extra = count % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The shards of a batch, as copies (they are posted to other threads). */
export function splitBatch(batch: ArrayWithShape, sizes: readonly number[]): ArrayWithShape[] {
  const [count, ...rest] = batch.shape;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (count !== total) throw new Error(`batch has ${count} examples, shards add up to ${total}`);
  const perExample = rest.reduce((a, b) => a * b, 1);
  let start = 0;
  return sizes.map((n) => {
    const data = batch.data.slice(start * perExample, (start + n) * perExample);
    start += n;
    return { shape: [n, ...rest], data };
  });
}
