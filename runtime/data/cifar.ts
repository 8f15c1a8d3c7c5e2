/**
 * The binary CIFAR formats. CIFAR-10: records of 1 label byte + 3072 pixel bytes;
 * CIFAR-100: 1 coarse-label byte + 1 fine-label byte + 3072 pixel bytes. Pixels are
 * stored as three 32×32 planes (red, green, blue); they are converted to the
 * channels-last layout used everywhere else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { readMaybeGzipped } from './files.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;

export type CifarVariant = 'cifar10' | 'cifar100';
export type Cifar100Labels = 'fine' | 'coarse';

interface Layout {
  readonly labelBytes: number;
  readonly labelOffset: number;
  readonly classes: number;
}

function layoutOf(variant: CifarVariant, labels: Cifar100Labels): Layout {
  if (variant === 'cifar10') return { labelBytes: 1, labelOffset: 0, classes: 10 };
  return labels === 'coarse'
    ? { labelBytes: 2, labelOffset: 0, classes: 20 }
    : { labelBytes: 2, labelOffset: 1, classes: 100 };
}

export interface CifarOptions {
  /** CIFAR-100 only: which of the two labels to use. Default 'fine'. */
  readonly labels?: Cifar100Labels;
}

/** Reads and concatenates CIFAR binary batch files. */
export function readCifarFiles(files: readonly string[], variant: CifarVariant, options: CifarOptions = {}): ImageDataset {
  const layout = layoutOf(variant, options.labels ?? 'fine');
  const record = layout.labelBytes + PIXELS;
  const contents = files.map((file) => {
    const bytes = readMaybeGzipped(file);
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new DataError(
        file,
        `size mismatch: ${bytes.length} bytes is not a whole number of ${variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} records of ${record} bytes` +
          (bytes.length > record ? ` (${Math.floor(bytes.length / record)} records and ${bytes.length % record} bytes left over: truncated or not this format)` : ''),
      );
    }
    return { file, bytes };
  });
  const count = contents.reduce((sum, c) => sum + c.bytes.length / record, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  let n = 0;
  for (const { file, bytes } of contents) {
    for (let offset = 0; offset < bytes.length; offset += record, n++) {
      const label = bytes[offset + layout.labelOffset];
      if (label >= layout.classes) {
        throw new DataError(
          file,
          `record ${offset / record} has label ${label}, out of range for ${layout.classes} classes: truncated, shifted or not this format`,
        );
      }
      labels[n] = label;
      const pixels = offset + layout.labelBytes;
      const out = n * PIXELS;
      for (let p = 0; p < PLANE; p++) {
        images[out + 3 * p] = bytes[pixels + p];
        images[out + 3 * p + 1] = bytes[pixels + PLANE + p];
        images[out + 3 * p + 2] = bytes[pixels + 2 * PLANE + p];
      }
    }
  }
  return { count, height: SIDE, width: SIDE, channels: 3, images, labels, classes: layout.classes };
}

/** The standard file names of the binary distributions. */
export function cifarFileNames(variant: CifarVariant): { train: string[]; test: string[]; meta: string } {
  return variant === 'cifar10'
    ? {
        train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
        test: ['test_batch.bin'],
        meta: 'batches.meta.txt',
      }
    : { train: ['train.bin'], test: ['test.bin'], meta: 'fine_label_names.txt' };
}

/** Reads class names from the distribution's meta text file, when present. */
export function readCifarClassNames(dir: string, variant: CifarVariant, labels: Cifar100Labels = 'fine'): string[] | undefined {
  const name = variant === 'cifar100' && labels === 'coarse' ? 'coarse_label_names.txt' : cifarFileNames(variant).meta;
  const file = join(dir, name);
  if (!existsSync(file)) return undefined;
  const names = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return names;
}
