import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../runtime/data/errors.js';
import { encodeIdx, loadIdxPair, readIdxImages, readIdxLabels } from '../../runtime/data/idx.js';
import { syntheticImages, temporaryFolder, writeIdxPair } from './fixtures.js';

function expectDataError(run: () => unknown, file: string, reason: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    assert.equal(error.file, file);
    assert.match(error.reason, reason);
    assert.ok(error.message.startsWith(`${file}: `));
    return true;
  });
}

describe('IDX reader', () => {
  const folder = temporaryFolder();
  const dir = folder.path;
  after(folder.remove);

  it('reads images and labels into contiguous arrays, plain or gzip-compressed', () => {
    writeIdxPair(dir, 'train', 30, false);
    writeIdxPair(dir, 't10k', 30, true);
    const plain = loadIdxPair(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte'));
    const gzipped = loadIdxPair(join(dir, 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    const expected = syntheticImages(30, 28, 28, 10);
    for (const data of [plain, gzipped]) {
      assert.equal(data.count, 30);
      assert.deepEqual([data.height, data.width, data.channels, data.classes], [28, 28, 1, 10]);
      assert.ok(data.images instanceof Uint8Array && data.labels instanceof Int32Array);
      assert.deepEqual(data.images, expected.images);
      assert.deepEqual(Array.from(data.labels), Array.from(expected.labels));
    }
  });

  it('recognises gzip by its magic bytes, not by the file name', () => {
    const file = join(dir, 'compressed-without-suffix');
    writeFileSync(file, gzipSync(encodeIdx([3], Uint8Array.from([4, 5, 6]))));
    assert.deepEqual(Array.from(readIdxLabels(file)), [4, 5, 6]);
  });

  it('reports a missing file', () => {
    expectDataError(() => readIdxImages(join(dir, 'nothing-here')), join(dir, 'nothing-here'), /^file not found$/);
  });

  it('reports a bad magic number', () => {
    const file = join(dir, 'not-idx');
    writeFileSync(file, Buffer.from('PK\u0003\u0004 a zip file, not IDX'));
    expectDataError(() => readIdxImages(file), file, /bad magic number 0x504b0304: not an IDX file/);
  });

  it('reports truncated data and a truncated header', () => {
    const whole = encodeIdx([10, 28, 28], new Uint8Array(7840));
    const file = join(dir, 'truncated');
    writeFileSync(file, whole.subarray(0, 1000));
    expectDataError(() => readIdxImages(file), file, /truncated: the header declares 10 × 28 × 28 = 7840 data bytes but only 984 follow/);
    writeFileSync(file, whole.subarray(0, 10));
    expectDataError(() => readIdxImages(file), file, /truncated: the header declares 3 dimensions \(16 header bytes\) but the file has 10 bytes/);
  });

  it('reports a gzip stream cut short', () => {
    const file = join(dir, 'cut.gz');
    const packed = gzipSync(encodeIdx([100], new Uint8Array(100)));
    writeFileSync(file, packed.subarray(0, packed.length - 12));
    expectDataError(() => readIdxLabels(file), file, /gzip data is corrupt or truncated/);
  });

  it('reports extra bytes after the declared data', () => {
    const file = join(dir, 'too-long');
    writeFileSync(file, Buffer.concat([encodeIdx([2], Uint8Array.from([1, 2])), Buffer.from([9])]));
    expectDataError(() => readIdxLabels(file), file, /size mismatch: the header declares 2 = 2 data bytes but 3 follow/);
  });

  it('reports wrong dimensions (labels given as images and the reverse)', () => {
    writeIdxPair(dir, 'train', 5, false);
    const images = join(dir, 'train-images-idx3-ubyte');
    const labels = join(dir, 'train-labels-idx1-ubyte');
    expectDataError(() => readIdxImages(labels), labels, /wrong dimensions: an IDX image file has 3 .* this one has 1 \(5\)/);
    expectDataError(() => readIdxLabels(images), images, /wrong dimensions: an IDX label file has 1 dimension, this one has 3 \(5 × 28 × 28\)/);
  });

  it('reports an element type other than unsigned bytes', () => {
    const file = join(dir, 'floats');
    // Magic 00 00 0d 01: one dimension of float32 elements.
    writeFileSync(file, Buffer.concat([Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 1]), Buffer.alloc(4)]));
    expectDataError(() => readIdxLabels(file), file, /element type 0x0d \(float32\) is not supported/);
  });

  it('reports a size mismatch between images and labels', () => {
    const sub = join(dir, 'mismatch');
    writeIdxPair(dir, 'train', 12, false);
    const labels = join(dir, 'train-labels-idx1-ubyte');
    writeFileSync(sub, encodeIdx([11], readFileSync(labels).subarray(8, 19)));
    expectDataError(() => loadIdxPair(join(dir, 'train-images-idx3-ubyte'), sub), sub, new RegExp(`size mismatch: 11 labels but .*train-images-idx3-ubyte holds 12 images`));
  });

  it('reports labels outside the declared classes', () => {
    writeIdxPair(dir, 'train', 12, false);
    const labels = join(dir, 'train-labels-idx1-ubyte');
    expectDataError(
      () => loadIdxPair(join(dir, 'train-images-idx3-ubyte'), labels, { classes: 5 }),
      labels,
      /label 5 of item 5 is out of range: there are 5 classes \(0 … 4\)/,
    );
  });
});
