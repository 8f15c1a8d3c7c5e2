/**
 * PIL-style operations on one uint8 image (height × width × channels, channels
 * last, 1 or 3 channels), as used by RandAugment. Each returns a new array and
 * follows the arithmetic of PIL's ImageOps / ImageEnhance: lookup tables per
 * channel, blends truncated toward zero and clipped to 0 … 255.
 */

export interface Image {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

function withData(image: Image, data: Uint8Array): Image {
  return { height: image.height, width: image.width, channels: image.channels, data };
}

/** Applies one 256-entry lookup table per channel. */
function applyLuts(image: Image, luts: readonly Uint8Array[]): Image {
  const { data, channels } = image;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = luts[i % channels][data[i]];
  return withData(image, out);
}

function sameLut(image: Image, lut: Uint8Array): Image {
  return applyLuts(image, new Array<Uint8Array>(image.channels).fill(lut));
}

function histograms(image: Image): Uint32Array[] {
  const { data, channels } = image;
  const hist = Array.from({ length: channels }, () => new Uint32Array(256));
  for (let i = 0; i < data.length; i++) hist[i % channels][data[i]]++;
  return hist;
}

export function invert(image: Image): Image {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = 255 - i;
  return sameLut(image, lut);
}

/** Inverts every value at or above the threshold (256 leaves the image unchanged). */
export function solarize(image: Image, threshold: number): Image {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i < threshold ? i : 255 - i;
  return sameLut(image, lut);
}

/** Adds `add` to every value below the threshold, saturating at 255. */
export function solarizeAdd(image: Image, add: number, threshold = 128): Image {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i < threshold ? Math.min(255, i + add) : i;
  return sameLut(image, lut);
}

/** Keeps the `bits` most significant bits of every value (0 bits: black image). */
export function posterize(image: Image, bits: number): Image {
  if (bits >= 8) return withData(image, image.data.slice());
  const mask = ~((1 << (8 - Math.max(0, bits))) - 1) & 0xff;
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i & mask;
  return sameLut(image, lut);
}

/** Stretches each channel so its darkest value becomes 0 and its brightest 255. */
export function autoContrast(image: Image): Image {
  const luts = histograms(image).map((hist) => {
    let lo = 0;
    while (lo < 255 && hist[lo] === 0) lo++;
    let hi = 255;
    while (hi > 0 && hist[hi] === 0) hi--;
    const lut = new Uint8Array(256);
    if (hi <= lo) {
      for (let i = 0; i < 256; i++) lut[i] = i;
    } else {
      const scale = 255 / (hi - lo);
      const offset = -lo * scale;
      for (let i = 0; i < 256; i++) lut[i] = clampByte(Math.trunc(i * scale + offset));
    }
    return lut;
  });
  return applyLuts(image, luts);
}

/** Histogram equalisation per channel, as PIL's ImageOps.equalize. */
export function equalize(image: Image): Image {
  const luts = histograms(image).map((hist) => {
    const lut = new Uint8Array(256);
    for (let i = 0; i < 256; i++) lut[i] = i;
    const used: number[] = [];
    for (let i = 0; i < 256; i++) if (hist[i] > 0) used.push(hist[i]);
    if (used.length <= 1) return lut;
    const total = used.reduce((a, b) => a + b, 0);
    const step = Math.floor((total - used[used.length - 1]) / 255);
    if (step === 0) return lut;
    let n = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      lut[i] = Math.min(255, Math.floor(n / step));
      n += hist[i];
    }
    return lut;
  });
  return applyLuts(image, luts);
}

/** PIL's Image.blend(degenerate, image, factor): degenerate + factor·(image − degenerate). */
function blend(degenerate: Uint8Array, image: Image, factor: number): Image {
  const src = image.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = degenerate[i] + factor * (src[i] - degenerate[i]);
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
  }
  return withData(image, out);
}

/** Luma of each pixel as PIL's RGB → L conversion (ITU-R 601-2, fixed point). */
function luma(image: Image): Uint8Array {
  const { data, channels } = image;
  if (channels === 1) return data;
  const pixels = image.height * image.width;
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    out[p] = (data[3 * p] * 19595 + data[3 * p + 1] * 38470 + data[3 * p + 2] * 7471 + 0x8000) >>> 16;
  }
  return out;
}

/** Saturation: blend with the grey version (identity on 1-channel images). */
export function color(image: Image, factor: number): Image {
  if (image.channels === 1) return withData(image, image.data.slice());
  const grey = luma(image);
  const degenerate = new Uint8Array(image.data.length);
  for (let i = 0; i < degenerate.length; i++) degenerate[i] = grey[Math.floor(i / 3)];
  return blend(degenerate, image, factor);
}

/** Contrast: blend with a flat image at the rounded mean luma. */
export function contrast(image: Image, factor: number): Image {
  const grey = luma(image);
  let sum = 0;
  for (let i = 0; i < grey.length; i++) sum += grey[i];
  const mean = Math.trunc(sum / grey.length + 0.5);
  return blend(new Uint8Array(image.data.length).fill(mean), image, factor);
}

/** Brightness: blend with black. */
export function brightness(image: Image, factor: number): Image {
  return blend(new Uint8Array(image.data.length), image, factor);
}

/** Sharpness: blend with PIL's SMOOTH filter (3×3, centre 5, others 1, /13; borders kept). */
export function sharpness(image: Image, factor: number): Image {
  const { height, width, channels, data } = image;
  const smooth = data.slice();
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            sum += data[((y + dy) * width + (x + dx)) * channels + c] * (dx === 0 && dy === 0 ? 5 : 1);
          }
        }
        smooth[(y * width + x) * channels + c] = clampByte(Math.trunc(sum / 13 + 0.5));
      }
    }
  }
  return blend(smooth, image, factor);
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
