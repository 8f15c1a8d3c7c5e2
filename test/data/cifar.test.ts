import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCifarFiles } from '../../runtime/data/cifar.js';
import { DataError } from '../../runtime/data/errors.js';
import { loadDatasetSplits } from '../../runtime/data/source.js';
import { temporaryFolder } from './fixtures.js';

/** CIFAR records: the red plane of image n holds n, green n+1, blue (n+2+pixel) mod 256. */
function cifarBytes(count: number, labelBytes: (n: number) => number[]): Uint8Array {
  const chunks: number[] = [];
  for (let n = 0; n < count; n++) {
    chunks.push(...labelBytes(n));
    for (let p = 0; p < 1024; p++) chunks.push(n % 256);
    for (let p = 0; p < 1024; p++) chunks.push((n + 1) % 256);
    for (let p = 0; p < 1024; p++) chunks.push((n + 2 + p) % 256);
  }
  return Uint8Array.from(chunks);
}

describe('CIFAR binary reader', () => {
  const folder = temporaryFolder();
  const dir = folder.path;
  after(folder.remove);

  it('reads CIFAR-10 records into channels-last images with their labels', () => {
    const file = join(dir, 'batch.bin');
    writeFileSync(file, cifarBytes(3, (n) => [n * 3]));
    const data = readCifarFiles([file], 'cifar10');
    assert.deepEqual([data.count, data.height, data.width, data.channels, data.classes], [3, 32, 32, 3, 10]);
    assert.deepEqual(Array.from(data.labels), [0, 3, 6]);
    // Image 2, pixel (row 1, column 5) = pixel index 37: R = 2, G = 3, B = 2 + 2 + 37.
    const base = (2 * 1024 + 37) * 3;
    assert.deepEqual(Array.from(data.images.subarray(base, base + 3)), [2, 3, 41]);
  });

  it('reads the fine or the coarse label of CIFAR-100', () => {
    const file = join(dir, 'train100.bin');
    writeFileSync(file, cifarBytes(2, (n) => [n + 10, n + 90]));
    assert.deepEqual(Array.from(readCifarFiles([file], 'cifar100').labels), [90, 91]);
    const coarse = readCifarFiles([file], 'cifar100', { labels: 'coarse' });
    assert.deepEqual(Array.from(coarse.labels), [10, 11]);
    assert.equal(coarse.classes, 20);
  });

  it('reports a file that is not a whole number of records', () => {
    const file = join(dir, 'cut.bin');
    writeFileSync(file, cifarBytes(2, () => [1]).subarray(0, 5000));
    assert.throws(
      () => readCifarFiles([file], 'cifar10'),
      (error: unknown) =>
        error instanceof DataError &&
        error.file === file &&
        /size mismatch: 5000 bytes is not a whole number of CIFAR-10 records of 3073 bytes \(1 records and 1927 bytes left over/.test(error.reason),
    );
  });

  it('reports an out-of-range label (shifted data or another format)', () => {
    const file = join(dir, 'bad-label.bin');
    writeFileSync(file, cifarBytes(1, () => [55]));
    assert.throws(() => readCifarFiles([file], 'cifar10'), (error: unknown) => error instanceof DataError && /record 0 has label 55, out of range for 10 classes/.test(error.message));
  });

  it('loads the train batches and the test batch of a CIFAR-10 folder, with class names', () => {
    for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), cifarBytes(2, (n) => [n + i]));
    writeFileSync(join(dir, 'test_batch.bin'), cifarBytes(4, (n) => [n]));
    writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const splits = loadDatasetSplits({ format: 'cifar10', path: dir, resolution: 32, channels: 3, classes: 10 });
    assert.equal(splits.train.count, 10);
    assert.equal(splits.validation?.count, 4);
    assert.deepEqual(Array.from(splits.train.labels), [1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    assert.equal(splits.train.classNames?.[9], 'truck');
    assert.throws(() => loadDatasetSplits({ format: 'cifar10', path: dir, resolution: 28 }), /wrong dimensions: images are 32×32 but the dataset declares 28×28/);
    assert.throws(() => loadDatasetSplits({ format: 'cifar10', path: join(dir, 'missing') }), /data_batch_1\.bin: file not found/);
  });
});
