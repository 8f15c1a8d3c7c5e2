import assert from 'node:assert/strict';
import { join } from 'node:path';
import { classCounts } from '../../runtime/data/dataset.js';
import { DataError } from '../../runtime/data/errors.js';
import { loadDatasetSplits } from '../../runtime/data/source.js';
import { holdOut } from '../../runtime/data/splits.js';
import { repositoryRoot, temporaryFolder, writeIdxPair } from './fixtures.js';

const SUBSET = join(repositoryRoot(), 'data', 'fashion-mnist-small');

describe('dataset loading and splits', () => {
  const folder = temporaryFolder();
  after(folder.remove);

  it('loads the committed Fashion-MNIST subset: 5,000 + 1,000 balanced 28×28 grey images', () => {
    const splits = loadDatasetSplits({ format: 'idx', path: SUBSET, resolution: 28, channels: 1, classes: 10, trainImages: 5000 });
    assert.equal(splits.train.count, 5000);
    assert.equal(splits.validation?.count, 1000);
    assert.deepEqual(classCounts(splits.train), new Array(10).fill(500));
    assert.deepEqual(classCounts(splits.validation!), new Array(10).fill(100));
    assert.equal(splits.train.images.length, 5000 * 784);
    // Real photographs of clothes: mostly dark background, varied foreground.
    const mean = splits.train.images.reduce((a, b) => a + b, 0) / splits.train.images.length;
    assert.ok(mean > 50 && mean < 110, `mean pixel ${mean}`);
  });

  it('checks the files against the declared resolution, channels, classes and image count', () => {
    const train = join(SUBSET, 'train-images-idx3-ubyte.gz');
    const cases: Array<[object, RegExp]> = [
      [{ resolution: 32 }, /wrong dimensions: images are 28×28 but the dataset declares 32×32/],
      [{ channels: 3 }, /wrong dimensions: images have 1 channel\(s\) but the dataset declares 3/],
      [{ trainImages: 60000 }, /holds 5000 training images but the dataset declares 60000/],
      [{ classes: 8 }, /label [89] of item \d+ is out of range: there are 8 classes \(0 … 7\)/],
    ];
    for (const [declared, reason] of cases) {
      assert.throws(
        () => loadDatasetSplits({ format: 'idx', path: SUBSET, ...declared }),
        (error: unknown) => error instanceof DataError && reason.test(error.message) && (error.file === train || error.file.startsWith(SUBSET)),
      );
    }
  });

  it('names the missing file with both accepted spellings', () => {
    assert.throws(
      () => loadDatasetSplits({ format: 'idx', path: folder.path }),
      (error: unknown) => error instanceof DataError && error.file === join(folder.path, 'train-images-idx3-ubyte[.gz]') && error.reason === 'file not found',
    );
  });

  it('holds out a seeded fraction of the training set instead of the test files', () => {
    writeIdxPair(folder.path, 'train', 100, true, 6, 4);
    const a = loadDatasetSplits({ format: 'idx', path: folder.path, validation: { holdOut: 0.2, seed: 3 } });
    const b = loadDatasetSplits({ format: 'idx', path: folder.path, validation: { holdOut: 0.2, seed: 3 } });
    const c = loadDatasetSplits({ format: 'idx', path: folder.path, validation: { holdOut: 0.2, seed: 4 } });
    assert.equal(a.train.count, 80);
    assert.equal(a.validation?.count, 20);
    assert.deepEqual(a.validation!.images, b.validation!.images);
    assert.notDeepEqual(a.validation!.images, c.validation!.images);
    // Every image lands in exactly one part: first pixels (n·7 mod 256) identify them.
    const firstPixels = (d: { images: Uint8Array; count: number }) => Array.from({ length: d.count }, (_, i) => d.images[i * 36]);
    const all = [...firstPixels(a.train), ...firstPixels(a.validation!)].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: 100 }, (_, n) => (n * 7) % 256).sort((x, y) => x - y));
    const none = loadDatasetSplits({ format: 'idx', path: folder.path, validation: 'none' });
    assert.equal(none.validation, undefined);
    assert.equal(none.train.count, 100);
  });

  it('rejects held-out fractions that leave a part empty', () => {
    const data = loadDatasetSplits({ format: 'idx', path: folder.path, validation: 'none' }).train;
    assert.throws(() => holdOut(data, 1, 0), /strictly between 0 and 1, got 1/);
    assert.throws(() => holdOut(data, 0.001, 0), /leaves 0 for validation and 100 for training/);
  });
});
