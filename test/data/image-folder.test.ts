import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../runtime/data/errors.js';
import { readImageFolder } from '../../runtime/data/image-folder.js';
import { loadDatasetSplits } from '../../runtime/data/source.js';
import { temporaryFolder, writeJpeg, writePng } from './fixtures.js';

function expectDataError(run: () => unknown, file: string, reason: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof DataError && error.file === file && reason.test(error.reason));
}

describe('image folder reader', () => {
  const folder = temporaryFolder();
  const root = folder.path;
  after(folder.remove);

  before(() => {
    // train/: 'cat' has a red PNG and a blue JPEG, 'dog' a 2:1 green PNG; val/: one image per class.
    writePng(join(root, 'train', 'cat', 'a.png'), 20, 20, () => [200, 10, 10, 255]);
    writeJpeg(join(root, 'train', 'cat', 'b.JPG'), 16, 16, () => [0, 0, 250]);
    writePng(join(root, 'train', 'dog', 'c.png'), 40, 20, (x) => (x < 10 || x >= 30 ? [0, 0, 0, 255] : [0, 240, 0, 255]));
    writeFileSync(join(root, 'train', 'dog', 'notes.txt'), 'not an image');
    writePng(join(root, 'val', 'dog', 'd.png'), 8, 8, () => [9, 9, 9, 255]);
    writePng(join(root, 'val', 'cat', 'e.png'), 8, 8, () => [1, 2, 3, 255]);
  });

  it('reads class folders in name order into one contiguous RGB buffer at the declared size', () => {
    const data = readImageFolder(join(root, 'train'), { height: 10, width: 10, channels: 3 });
    assert.deepEqual([data.count, data.height, data.width, data.channels, data.classes], [3, 10, 10, 3, 2]);
    assert.deepEqual(data.classNames, ['cat', 'dog']);
    assert.deepEqual(Array.from(data.labels), [0, 0, 1]);
    assert.equal(data.images.length, 3 * 300);
    assert.deepEqual(Array.from(data.images.subarray(0, 3)), [200, 10, 10]);
    const blue = data.images.subarray(300 + 3 * 55, 300 + 3 * 56);
    assert.ok(blue[0] < 12 && blue[1] < 12 && blue[2] > 238, `JPEG pixel ${Array.from(blue)}`);
  });

  it('keeps the aspect ratio by default (centre region) and can stretch instead', () => {
    // The dog image is black | green | black (10 | 20 | 10 px): the square centre region is all
    // green (with the box filter, whose support stays inside that region at a factor of 2).
    const cover = readImageFolder(join(root, 'train'), { height: 10, width: 10, channels: 3, kernel: 'area' });
    const dog = cover.images.subarray(600, 900);
    for (let p = 0; p < 100; p++) assert.equal(dog[3 * p + 1], 240);
    const stretch = readImageFolder(join(root, 'train'), { height: 10, width: 10, channels: 3, fit: 'stretch' });
    assert.equal(stretch.images[600 + 1], 0);
    assert.equal(stretch.images[600 + 3 * 5 + 1], 240);
  });

  it('converts to one grey channel with PIL luma weights', () => {
    const data = readImageFolder(join(root, 'train'), { height: 4, width: 4, channels: 1 });
    assert.equal(data.images.length, 3 * 16);
    assert.equal(data.images[0], Math.round(200 * 0.299 + 10 * 0.587 + 10 * 0.114));
  });

  it('loads train/ and val/ splits with the training class order', () => {
    const splits = loadDatasetSplits({ format: 'image-folder', path: root, resolution: [6, 6], channels: 3, classes: 2 });
    assert.equal(splits.train.count, 3);
    assert.equal(splits.validation?.count, 2);
    assert.deepEqual(Array.from(splits.validation!.labels), [0, 1]);
    assert.deepEqual(Array.from(splits.validation!.images.subarray(0, 3)), [1, 2, 3]);
    assert.throws(() => loadDatasetSplits({ format: 'image-folder', path: root, resolution: 6, classes: 3 }), /holds 2 classes but the dataset declares 3/);
    assert.throws(() => loadDatasetSplits({ format: 'image-folder', path: root }), /a resolution must be declared/);
  });

  it('reports a missing folder, a folder without classes and an empty class', () => {
    expectDataError(() => readImageFolder(join(root, 'absent'), { height: 4, width: 4, channels: 3 }), join(root, 'absent'), /^folder not found$/);
    mkdirSync(join(root, 'flat'), { recursive: true });
    writePng(join(root, 'flat', 'x.png'), 4, 4, () => [0, 0, 0, 255]);
    expectDataError(() => readImageFolder(join(root, 'flat'), { height: 4, width: 4, channels: 3 }), join(root, 'flat'), /no class sub-folders/);
    mkdirSync(join(root, 'sparse', 'empty'), { recursive: true });
    writePng(join(root, 'sparse', 'full', 'x.png'), 4, 4, () => [0, 0, 0, 255]);
    expectDataError(() => readImageFolder(join(root, 'sparse'), { height: 4, width: 4, channels: 3 }), join(root, 'sparse', 'empty'), /holds no PNG or JPEG files/);
  });

  it('reports corrupt images and files that are not images', () => {
    const bad = join(root, 'bad');
    writePng(join(bad, 'ok', 'fine.png'), 4, 4, () => [0, 0, 0, 255]);
    writeFileSync(join(bad, 'ok', 'text.png'), 'hello, I am text');
    expectDataError(() => readImageFolder(bad, { height: 4, width: 4, channels: 3 }), join(bad, 'ok', 'text.png'), /not a PNG or JPEG image \(starts with bytes 68 65 6c 6c\)/);
    writeFileSync(join(bad, 'ok', 'text.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    expectDataError(() => readImageFolder(bad, { height: 4, width: 4, channels: 3 }), join(bad, 'ok', 'text.png'), /corrupt PNG image/);
    writeFileSync(join(bad, 'ok', 'text.png'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
    expectDataError(() => readImageFolder(bad, { height: 4, width: 4, channels: 3 }), join(bad, 'ok', 'text.png'), /corrupt JPEG image/);
  });

  it('needs a held-out fraction when there is no validation folder', () => {
    const flat = join(root, 'classes-only');
    for (const [name, value] of [['a', 10], ['b', 200]] as const) {
      for (let i = 0; i < 5; i++) writePng(join(flat, name, `${i}.png`), 4, 4, () => [value, value, value, 255]);
    }
    expectDataError(
      () => loadDatasetSplits({ format: 'image-folder', path: flat, resolution: 4 }),
      flat,
      /no validation images: expected train\/ and val\/ .* declare a held-out fraction instead/,
    );
    const splits = loadDatasetSplits({ format: 'image-folder', path: flat, resolution: 4, channels: 1, validation: { holdOut: 0.3, seed: 1 } });
    assert.equal(splits.train.count, 7);
    assert.equal(splits.validation?.count, 3);
  });

  it('reports a validation class that training does not have', () => {
    writePng(join(root, 'other', 'train', 'a', 'x.png'), 4, 4, () => [0, 0, 0, 255]);
    writePng(join(root, 'other', 'val', 'b', 'y.png'), 4, 4, () => [0, 0, 0, 255]);
    expectDataError(
      () => loadDatasetSplits({ format: 'image-folder', path: join(root, 'other'), resolution: 4 }),
      join(root, 'other', 'val', 'b'),
      /class folder 'b' is not one of the 1 known classes/,
    );
  });
});
