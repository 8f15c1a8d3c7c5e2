/**
 * Loads a dataset as a plan describes it (format, path, declared resolution,
 * channels and classes) into training and validation sets, checking that the
 * files match what was declared.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResizeKernel } from '../transforms/resample.js';
import { cifarFileNames, readCifarClassNames, readCifarFiles, type Cifar100Labels } from './cifar.js';
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { loadIdxPair } from './idx.js';
import { readImageFolder } from './image-folder.js';
import { holdOut, type DatasetSplits } from './splits.js';

export type DatasetFormat = 'idx' | 'cifar10' | 'cifar100' | 'image-folder';

/**
 * 'files': the format's own validation files (IDX t10k files, CIFAR test batch,
 * a val/ folder); 'none'; or a held-out fraction of the training set.
 */
export type ValidationSource = 'files' | 'none' | { readonly holdOut: number; readonly seed: number };

export interface DatasetSpec {
  readonly format: DatasetFormat;
  /** Folder holding the files (IDX, CIFAR) or the class folders (image folder). */
  readonly path: string;
  /** Side (square) or [height, width]. Required for image folders (the resize target); checked otherwise. */
  readonly resolution?: number | readonly [number, number];
  /** 1 or 3. Image folders convert to it (default 3); other formats are checked against it. */
  readonly channels?: 1 | 3;
  /** Declared number of classes; labels are checked against it. */
  readonly classes?: number;
  /** Declared number of training images (the plan's compute totals rely on it); checked when given. */
  readonly trainImages?: number;
  readonly validation?: ValidationSource;
  /** CIFAR-100 only. Default 'fine'. */
  readonly cifarLabels?: Cifar100Labels;
  /** Image folders only: resize filter and fit (see ImageFolderOptions). */
  readonly resizeKernel?: ResizeKernel;
  readonly fit?: 'cover' | 'stretch';
}

export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export function loadDatasetSplits(spec: DatasetSpec): DatasetSplits {
  const validation = spec.validation ?? 'files';
  const explicit = validation === 'files';
  let train: ImageDataset;
  let validationSet: ImageDataset | undefined;
  let trainFile: string;
  let validationFile = '';
  switch (spec.format) {
    case 'idx': {
      trainFile = idxFile(spec.path, IDX_FILE_NAMES.trainImages);
      train = loadIdxPair(trainFile, idxFile(spec.path, IDX_FILE_NAMES.trainLabels), { classes: spec.classes });
      if (explicit) {
        validationFile = idxFile(spec.path, IDX_FILE_NAMES.testImages);
        validationSet = loadIdxPair(validationFile, idxFile(spec.path, IDX_FILE_NAMES.testLabels), { classes: train.classes });
      }
      break;
    }
    case 'cifar10':
    case 'cifar100': {
      const names = cifarFileNames(spec.format);
      const options = { labels: spec.cifarLabels };
      const classNames = readCifarClassNames(spec.path, spec.format, spec.cifarLabels);
      const trainFiles = names.train.map((name) => join(spec.path, name));
      trainFile = trainFiles[0];
      train = withClassNames(readCifarFiles(trainFiles, spec.format, options), classNames);
      if (explicit) {
        validationFile = join(spec.path, names.test[0]);
        validationSet = withClassNames(readCifarFiles([validationFile], spec.format, options), classNames);
      }
      break;
    }
    case 'image-folder': {
      if (spec.resolution === undefined) {
        throw new RangeError(`image folder ${spec.path}: a resolution must be declared (images are resized to it)`);
      }
      const [height, width] = resolutionOf(spec.resolution);
      const options = { height, width, channels: spec.channels ?? 3, kernel: spec.resizeKernel, fit: spec.fit };
      const trainDir = join(spec.path, 'train');
      trainFile = isDirectory(trainDir) ? trainDir : spec.path;
      train = readImageFolder(trainFile, options);
      if (explicit) {
        const found = ['val', 'validation', 'test'].map((name) => join(spec.path, name)).find(isDirectory);
        if (found === undefined || trainFile === spec.path) {
          throw new DataError(
            spec.path,
            'no validation images: expected train/ and val/ (or validation/, test/) sub-folders; declare a held-out fraction instead',
          );
        }
        validationFile = found;
        validationSet = readImageFolder(found, { ...options, classNames: train.classNames });
      }
      break;
    }
    default:
      throw new RangeError(`unknown dataset format '${String((spec as DatasetSpec).format)}'`);
  }

  checkDeclared(spec, train, trainFile);
  if (validationSet !== undefined) checkDeclared({ ...spec, trainImages: undefined }, validationSet, validationFile);
  if (typeof validation === 'object') return holdOut(train, validation.holdOut, validation.seed);
  return validationSet === undefined ? { train } : { train, validation: validationSet };
}

function checkDeclared(spec: DatasetSpec, data: ImageDataset, file: string): void {
  if (spec.resolution !== undefined) {
    const [height, width] = resolutionOf(spec.resolution);
    if (data.height !== height || data.width !== width) {
      throw new DataError(file, `wrong dimensions: images are ${data.height}×${data.width} but the dataset declares ${height}×${width}`);
    }
  }
  if (spec.channels !== undefined && data.channels !== spec.channels) {
    throw new DataError(file, `wrong dimensions: images have ${data.channels} channel(s) but the dataset declares ${spec.channels}`);
  }
  if (spec.classes !== undefined && data.classes !== spec.classes) {
    throw new DataError(file, `holds ${data.classes} classes but the dataset declares ${spec.classes}`);
  }
  if (spec.trainImages !== undefined && data.count !== spec.trainImages) {
    throw new DataError(file, `holds ${data.count} training images but the dataset declares ${spec.trainImages}`);
  }
}

function resolutionOf(resolution: number | readonly [number, number]): [number, number] {
  return typeof resolution === 'number' ? [resolution, resolution] : [resolution[0], resolution[1]];
}

/** The IDX file of that base name, gzip-compressed (.gz) or not. */
function idxFile(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DataError(join(dir, `${base}[.gz]`), 'file not found');
}

function withClassNames(data: ImageDataset, classNames: string[] | undefined): ImageDataset {
  return classNames !== undefined && classNames.length === data.classes ? { ...data, classNames } : data;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
