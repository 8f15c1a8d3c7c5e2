// Loads the data set a plan names and checks that it is the one the plan was computed for:
// format, resolution, channels, classes, and the numbers of training and validation images
// (the plan's compute totals rely on them). Any mismatch is a DataError naming the file.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PlanDataset } from '../../plan/types.js';
import { DataError, loadDatasetSplits, type DatasetFormat, type DatasetSplits } from '../data/index.js';

const FORMATS: Record<PlanDataset['format'], DatasetFormat> = {
  idx: 'idx',
  cifar10: 'cifar10',
  cifar100: 'cifar100',
  folder: 'image-folder',
  imagenet: 'image-folder',
};

/**
 * Where the plan's data path points: as written when absolute; else relative to the working
 * directory, or else to `projectRoot` (the folder the plan's source paths are relative to).
 */
export function resolveDatasetPath(path: string, projectRoot?: string): string {
  if (isAbsolute(path)) return path;
  const fromCwd = resolve(path);
  if (existsSync(fromCwd) || projectRoot === undefined) return fromCwd;
  const fromRoot = resolve(projectRoot, path);
  return existsSync(fromRoot) ? fromRoot : fromCwd;
}

export function loadPlanDataset(dataset: PlanDataset, projectRoot?: string): DatasetSplits {
  const path = resolveDatasetPath(dataset.path, projectRoot);
  if (!existsSync(path)) throw new DataError(path, `the data set \`${dataset.name}\` is not there (the plan says path "${dataset.path}")`);
  if (dataset.channels !== 1 && dataset.channels !== 3) throw new DataError(path, `the plan declares ${dataset.channels} channels; eft reads 1- or 3-channel images`);
  const splits = loadDatasetSplits({
    format: FORMATS[dataset.format],
    path,
    resolution: dataset.resolution_px,
    channels: dataset.channels,
    classes: dataset.classes,
    trainImages: dataset.train_images,
    validation: 'files',
  });
  const used = largestLabel(splits.train.labels) + 1;
  if (used < dataset.classes) {
    throw new DataError(path, `its training labels use ${used} classes (0 … ${used - 1}) but the plan declares ${dataset.classes}`);
  }
  if (splits.validation && dataset.val_images > 0 && splits.validation.count !== dataset.val_images) {
    throw new DataError(path, `holds ${splits.validation.count} validation images but the plan declares ${dataset.val_images} (\`val_images\`)`);
  }
  return splits;
}

function largestLabel(labels: Int32Array): number {
  let max = -1;
  for (const label of labels) if (label > max) max = label;
  return max;
}
