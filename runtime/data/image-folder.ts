/**
 * Image folders: one sub-folder per class (sorted by name gives the label), each
 * holding PNG or JPEG files. Every image is decoded, converted to the declared
 * number of channels and resized to the declared resolution, into one contiguous
 * buffer. Files with other extensions and hidden entries are ignored.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ResizeKernel } from '../transforms/resample.js';
import { resizeImageInto, type CropBox } from '../transforms/resize.js';
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { describeFsError } from './files.js';
import { decodeImageFile, rgbaToChannels } from './image-decode.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export interface ImageFolderOptions {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  /** Resize filter. Default 'bilinear' (anti-aliased when shrinking, as PIL). */
  readonly kernel?: ResizeKernel;
  /**
   * 'cover' (default) keeps the aspect ratio: the largest centred region of the
   * target's aspect ratio is resized to the target. 'stretch' resizes the whole
   * image to the target, distorting it when the aspect ratios differ.
   */
  readonly fit?: 'cover' | 'stretch';
  /**
   * Class names in label order. When given (e.g. those of the training folder for
   * a validation folder), every sub-folder must be one of them.
   */
  readonly classNames?: readonly string[];
}

export interface ImageFolderListing {
  readonly classNames: readonly string[];
  readonly files: readonly { readonly path: string; readonly label: number }[];
}

export function listImageFolder(dir: string, classNames?: readonly string[]): ImageFolderListing {
  const classDirs = listEntries(dir).filter((name) => !name.startsWith('.') && isDirectory(join(dir, name)));
  classDirs.sort();
  if (classDirs.length === 0) {
    throw new DataError(dir, 'no class sub-folders: an image folder holds one sub-folder of images per class');
  }
  const names = classNames ?? classDirs;
  const labelOf = new Map(names.map((name, label) => [name, label]));
  const files: { path: string; label: number }[] = [];
  for (const classDir of classDirs) {
    const label = labelOf.get(classDir);
    if (label === undefined) {
      throw new DataError(join(dir, classDir), `class folder '${classDir}' is not one of the ${names.length} known classes`);
    }
    const images = listEntries(join(dir, classDir))
      .filter((name) => !name.startsWith('.') && IMAGE_EXTENSIONS.has(extname(name).toLowerCase()))
      .sort();
    if (images.length === 0) {
      throw new DataError(join(dir, classDir), 'class folder holds no PNG or JPEG files');
    }
    for (const name of images) files.push({ path: join(dir, classDir, name), label });
  }
  return { classNames: names, files };
}

export function readImageFolder(dir: string, options: ImageFolderOptions): ImageDataset {
  const { height, width, channels } = options;
  for (const [what, value] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`image folder ${what} must be a positive integer, got ${value}`);
  }
  if (channels !== 1 && channels !== 3) throw new RangeError(`image folder channels must be 1 or 3, got ${String(channels)}`);
  const listing = listImageFolder(dir, options.classNames);
  const size = height * width * channels;
  const images = new Uint8Array(listing.files.length * size);
  const labels = new Int32Array(listing.files.length);
  listing.files.forEach((entry, n) => {
    const decoded = decodeImageFile(entry.path);
    const pixels = rgbaToChannels(decoded.rgba, decoded.width * decoded.height, channels);
    const box = options.fit === 'stretch' ? undefined : coverBox(decoded.height, decoded.width, height, width);
    resizeImageInto(pixels, 0, decoded.height, decoded.width, channels, height, width, options.kernel ?? 'bilinear', images, n * size, box);
    labels[n] = entry.label;
  });
  return {
    count: listing.files.length,
    height,
    width,
    channels,
    images,
    labels,
    classes: listing.classNames.length,
    classNames: listing.classNames,
  };
}

/** The largest centred region of the source with the target's aspect ratio. */
function coverBox(srcHeight: number, srcWidth: number, height: number, width: number): CropBox {
  const target = width / height;
  if (srcWidth / srcHeight > target) {
    const cropWidth = srcHeight * target;
    return { top: 0, left: (srcWidth - cropWidth) / 2, height: srcHeight, width: cropWidth };
  }
  const cropHeight = srcWidth / target;
  return { top: (srcHeight - cropHeight) / 2, left: 0, height: cropHeight, width: srcWidth };
}

function listEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(dir, code === 'ENOENT' ? 'folder not found' : code === 'ENOTDIR' ? 'is a file, expected a folder' : describeFsError(error));
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
