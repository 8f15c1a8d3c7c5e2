/**
 * Decoding of PNG (pngjs) and JPEG (jpeg-js) files into 8-bit RGBA pixels.
 * The format is recognised by its magic bytes, whatever the file is called.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from './errors.js';
import { readFileOrFail } from './files.js';

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, RGBA. */
  readonly rgba: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodeImageFile(file: string): DecodedImage {
  const bytes = readFileOrFail(file);
  const isPng = PNG_SIGNATURE.every((b, i) => bytes[i] === b);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(file, `not a PNG or JPEG image (starts with bytes ${head || '(empty file)'})`);
  }
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: decoded.width, height: decoded.height, rgba: decoded.data };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DataError(file, `corrupt ${isPng ? 'PNG' : 'JPEG'} image (${detail})`);
  }
}

/** Converts RGBA pixels to 1 (luma, as PIL's "L" mode) or 3 (RGB) channels; alpha is dropped. */
export function rgbaToChannels(rgba: Uint8Array, pixels: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(pixels * channels);
  if (channels === 3) {
    for (let p = 0; p < pixels; p++) {
      out[3 * p] = rgba[4 * p];
      out[3 * p + 1] = rgba[4 * p + 1];
      out[3 * p + 2] = rgba[4 * p + 2];
    }
  } else {
    for (let p = 0; p < pixels; p++) {
      out[p] = (rgba[4 * p] * 19595 + rgba[4 * p + 1] * 38470 + rgba[4 * p + 2] * 7471 + 0x8000) >>> 16;
    }
  }
  return out;
}
