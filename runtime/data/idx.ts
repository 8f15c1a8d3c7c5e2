/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic (0, 0, element type,
 * number of dimensions), one big-endian uint32 per dimension, then the elements.
 * Files may be gzip-compressed (detected by magic bytes).
 */
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { readMaybeGzipped } from './files.js';

const UNSIGNED_BYTE = 0x08;

const ELEMENT_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

export interface IdxArray {
  readonly dims: readonly number[];
  /** The elements, row-major (a view into the file's bytes). */
  readonly data: Uint8Array;
}

/** Parses IDX bytes holding unsigned bytes; `file` only names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new DataError(file, `too short to be an IDX file (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in ELEMENT_TYPES) || rank === 0) {
    throw new DataError(file, `bad magic number 0x${hex32(magic)}: not an IDX file (expected 0x0000080N)`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw new DataError(
      file,
      `IDX element type 0x${type.toString(16).padStart(2, '0')} (${ELEMENT_TYPES[type]}) is not supported: ` +
        'images and labels must be unsigned bytes (0x08)',
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataError(
      file,
      `truncated: the header declares ${rank} dimensions (${headerBytes} header bytes) but the file has ${bytes.length} bytes`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d));
  const expected = dims.reduce((a, b) => a * b, 1);
  const present = bytes.length - headerBytes;
  if (present < expected) {
    throw new DataError(
      file,
      `truncated: the header declares ${dims.join(' × ')} = ${expected} data bytes but only ${present} follow`,
    );
  }
  if (present > expected) {
    throw new DataError(
      file,
      `size mismatch: the header declares ${dims.join(' × ')} = ${expected} data bytes but ${present} follow`,
    );
  }
  // A plain Uint8Array view (not a Node Buffer) over the data after the header.
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, expected) };
}

export function readIdxFile(file: string): IdxArray {
  return parseIdx(readMaybeGzipped(file), file);
}

export interface IdxImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly images: Uint8Array;
}

/** Reads count × height × width (grey) or count × height × width × channels images. */
export function readIdxImages(file: string): IdxImages {
  const { dims, data } = readIdxFile(file);
  if (dims.length !== 3 && dims.length !== 4) {
    throw new DataError(
      file,
      `wrong dimensions: an IDX image file has 3 (count × height × width) or 4 dimensions, this one has ${dims.length} (${dims.join(' × ')})`,
    );
  }
  const [count, height, width] = dims;
  const channels = dims.length === 4 ? dims[3] : 1;
  if (height === 0 || width === 0 || channels === 0) {
    throw new DataError(file, `wrong dimensions: images of ${height} × ${width} × ${channels} pixels`);
  }
  return { count, height, width, channels, images: data };
}

export function readIdxLabels(file: string): Int32Array {
  const { dims, data } = readIdxFile(file);
  if (dims.length !== 1) {
    throw new DataError(
      file,
      `wrong dimensions: an IDX label file has 1 dimension, this one has ${dims.length} (${dims.join(' × ')})`,
    );
  }
  return Int32Array.from(data);
}

export interface LabelledPairOptions {
  /** Number of classes; labels must lie below it. Default: largest label + 1. */
  readonly classes?: number;
}

/** Reads an images file and its labels file and checks that they belong together. */
export function loadIdxPair(imagesFile: string, labelsFile: string, options: LabelledPairOptions = {}): ImageDataset {
  const images = readIdxImages(imagesFile);
  const labels = readIdxLabels(labelsFile);
  if (labels.length !== images.count) {
    throw new DataError(
      labelsFile,
      `size mismatch: ${labels.length} labels but ${imagesFile} holds ${images.count} images`,
    );
  }
  const classes = checkLabels(labels, labelsFile, options.classes);
  return {
    count: images.count,
    height: images.height,
    width: images.width,
    channels: images.channels,
    images: images.images,
    labels,
    classes,
  };
}

/** Checks every label against the class count; returns the class count to use. */
export function checkLabels(labels: Int32Array, file: string, classes: number | undefined): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (classes !== undefined && label >= classes) {
      throw new DataError(file, `label ${label} of item ${i} is out of range: there are ${classes} classes (0 … ${classes - 1})`);
    }
    if (label > max) max = label;
  }
  return classes ?? max + 1;
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** Encodes unsigned bytes as an IDX file (header + data), the inverse of parseIdx. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new RangeError(`IDX dimensions ${dims.join(' × ')} need ${expected} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
