/**
 * Makes data/fashion-mnist-small/ from the full Fashion-MNIST IDX files that
 * Debian's `dataset-fashion-mnist` package installs: 500 training images per class
 * (5,000) and 100 test images per class (1,000), picked by a seeded shuffle within
 * each class and written in their original order as gzip-compressed IDX files.
 *
 *   npx tsx scripts/make-fashion-mnist-subset.ts [source-folder] [output-folder]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DataError } from '../runtime/data/errors.js';
import { selectImages, type ImageDataset } from '../runtime/data/dataset.js';
import { encodeIdx } from '../runtime/data/idx.js';
import { IDX_FILE_NAMES, loadDatasetSplits } from '../runtime/data/source.js';
import { deriveSeed, Random } from '../runtime/random.js';

const DEFAULT_SOURCE = '/usr/share/datasets/fashion-mnist';
const DEFAULT_OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'fashion-mnist-small');
const TRAIN_PER_CLASS = 500;
const TEST_PER_CLASS = 100;
const SEED = 2024;

/** Indices of `perClass` images of every class, chosen by a seeded shuffle, in ascending order. */
function balancedSubset(dataset: ImageDataset, perClass: number, seed: number): Int32Array {
  const chosen: number[] = [];
  for (let label = 0; label < dataset.classes; label++) {
    const members: number[] = [];
    dataset.labels.forEach((l, i) => {
      if (l === label) members.push(i);
    });
    if (members.length < perClass) {
      throw new RangeError(`class ${label} has only ${members.length} images, fewer than ${perClass}`);
    }
    new Random(deriveSeed(seed, label)).shuffle(members);
    chosen.push(...members.slice(0, perClass));
  }
  return Int32Array.from(chosen).sort();
}

function writeIdxPair(dir: string, imagesName: string, labelsName: string, data: ImageDataset): number {
  const images = gzipSync(encodeIdx([data.count, data.height, data.width], data.images), { level: 9 });
  const labels = gzipSync(encodeIdx([data.count], Uint8Array.from(data.labels)), { level: 9 });
  writeFileSync(join(dir, `${imagesName}.gz`), images);
  writeFileSync(join(dir, `${labelsName}.gz`), labels);
  return images.length + labels.length;
}

function main(): void {
  const source = process.argv[2] ?? DEFAULT_SOURCE;
  const output = process.argv[3] ?? DEFAULT_OUTPUT;
  let full;
  try {
    full = loadDatasetSplits({ format: 'idx', path: source, resolution: 28, channels: 1, classes: 10 });
  } catch (error) {
    if (error instanceof DataError) {
      console.error(`error: ${error.message}`);
      console.error('help: install the full data set with `apt-get install dataset-fashion-mnist`, or pass its folder as the first argument');
      process.exit(1);
    }
    throw error;
  }
  const train = selectImages(full.train, balancedSubset(full.train, TRAIN_PER_CLASS, deriveSeed(SEED, 0)));
  const test = selectImages(full.validation!, balancedSubset(full.validation!, TEST_PER_CLASS, deriveSeed(SEED, 1)));
  mkdirSync(output, { recursive: true });
  const bytes =
    writeIdxPair(output, IDX_FILE_NAMES.trainImages, IDX_FILE_NAMES.trainLabels, train) +
    writeIdxPair(output, IDX_FILE_NAMES.testImages, IDX_FILE_NAMES.testLabels, test);
  console.log(`wrote ${train.count} training and ${test.count} test images to ${output} (${(bytes / 1e6).toFixed(2)} MB)`);
}

main();
