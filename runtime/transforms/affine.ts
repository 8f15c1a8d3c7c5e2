/**
 * Affine resampling of one uint8 image with PIL's conventions: the coefficients
 * (a, b, c, d, e, f) map an output pixel centre (x + ½, y + ½) to the input
 * position (a·x' + b·y' + c, d·x' + e·y' + f); samples outside the image take the
 * fill colour.
 */
import type { Image } from './image-ops.js';

export type Interpolation = 'nearest' | 'bilinear';

export type AffineCoefficients = readonly [number, number, number, number, number, number];

export function affineTransform(
  image: Image,
  coefficients: AffineCoefficients,
  interpolation: Interpolation,
  fill: readonly number[],
): Image {
  const { height, width, channels, data } = image;
  const [a, b, c, d, e, f] = coefficients;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const xs = a * (x + 0.5) + b * (y + 0.5) + c;
      const ys = d * (x + 0.5) + e * (y + 0.5) + f;
      const o = (y * width + x) * channels;
      if (interpolation === 'nearest') {
        const xi = Math.floor(xs);
        const yi = Math.floor(ys);
        if (xs < 0 || ys < 0 || xi >= width || yi >= height) {
          for (let ch = 0; ch < channels; ch++) out[o + ch] = fill[ch];
        } else {
          const i = (yi * width + xi) * channels;
          for (let ch = 0; ch < channels; ch++) out[o + ch] = data[i + ch];
        }
        continue;
      }
      // Bilinear between the four nearest pixel centres (edge pixels repeated);
      // positions outside the image take the fill colour, as in PIL.
      if (xs < 0 || ys < 0 || xs >= width || ys >= height) {
        for (let ch = 0; ch < channels; ch++) out[o + ch] = fill[ch];
        continue;
      }
      const xc = xs - 0.5;
      const yc = ys - 0.5;
      const x0 = Math.floor(xc);
      const y0 = Math.floor(yc);
      const dx = xc - x0;
      const dy = yc - y0;
      const xa = Math.max(x0, 0);
      const xb = Math.min(x0 + 1, width - 1);
      const ya = Math.max(y0, 0);
      const yb = Math.min(y0 + 1, height - 1);
      for (let ch = 0; ch < channels; ch++) {
        const p00 = data[(ya * width + xa) * channels + ch];
        const p01 = data[(ya * width + xb) * channels + ch];
        const p10 = data[(yb * width + xa) * channels + ch];
        const p11 = data[(yb * width + xb) * channels + ch];
        const top = p00 + dx * (p01 - p00);
        const bottom = p10 + dx * (p11 - p10);
        const v = top + dy * (bottom - top);
        out[o + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return { height, width, channels, data: out };
}

/** Shear along x about the top-left corner: input x = x + factor·y (as timm's ShearX). */
export function shearXCoefficients(factor: number): AffineCoefficients {
  return [1, factor, 0, 0, 1, 0];
}

export function shearYCoefficients(factor: number): AffineCoefficients {
  return [1, 0, 0, factor, 1, 0];
}

/** Translation by `pixels` (input x = x + pixels: the content moves left for positive values). */
export function translateXCoefficients(pixels: number): AffineCoefficients {
  return [1, 0, pixels, 0, 1, 0];
}

export function translateYCoefficients(pixels: number): AffineCoefficients {
  return [1, 0, 0, 0, 1, pixels];
}

/** Counter-clockwise rotation by `degrees` about the image centre, as PIL's Image.rotate. */
export function rotateCoefficients(degrees: number, width: number, height: number): AffineCoefficients {
  const angle = -(degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = width / 2;
  const cy = height / 2;
  return [cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy];
}
