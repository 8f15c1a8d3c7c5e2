/**
 * RandAugment with the semantics of timm's `rand_augment_transform`
 * (e.g. "rand-m9-mstd0.5-inc1"): per image, n ops are drawn uniformly with
 * replacement from the op set; each then runs with probability p (0.5), at a
 * magnitude drawn from N(m, mstd) and clipped to [0, mmax] (mmax = 10), mapped to
 * the op's argument by timm's level functions. Works on uint8 grey or RGB images.
 */
import { Random } from '../random.js';
import {
  affineTransform,
  rotateCoefficients,
  shearXCoefficients,
  shearYCoefficients,
  translateXCoefficients,
  translateYCoefficients,
  type Interpolation,
} from './affine.js';
import {
  autoContrast,
  brightness,
  color,
  contrast,
  equalize,
  invert,
  posterize,
  sharpness,
  solarize,
  solarizeAdd,
  type Image,
} from './image-ops.js';

/** timm's _RAND_INCREASING_TRANSFORMS ("inc1"): severity grows with the magnitude for every op. */
export const INCREASING_OPS = [
  'AutoContrast',
  'Equalize',
  'Invert',
  'Rotate',
  'PosterizeIncreasing',
  'SolarizeIncreasing',
  'SolarizeAdd',
  'ColorIncreasing',
  'ContrastIncreasing',
  'BrightnessIncreasing',
  'SharpnessIncreasing',
  'ShearX',
  'ShearY',
  'TranslateXRel',
  'TranslateYRel',
] as const;

/** timm's _RAND_TRANSFORMS (no "inc1"): posterize, solarize and the enhancements use the original level maps. */
export const ORIGINAL_OPS = [
  'AutoContrast',
  'Equalize',
  'Invert',
  'Rotate',
  'Posterize',
  'Solarize',
  'SolarizeAdd',
  'Color',
  'Contrast',
  'Brightness',
  'Sharpness',
  'ShearX',
  'ShearY',
  'TranslateXRel',
  'TranslateYRel',
] as const;

export type RandAugmentOp = (typeof INCREASING_OPS)[number] | (typeof ORIGINAL_OPS)[number];

/** timm's _LEVEL_DENOM: magnitudes are on a 0 … 10 scale. */
export const MAX_MAGNITUDE = 10;

export interface RandAugmentConfig {
  /** m: 0 … 10 (more is clipped to `magnitudeMax`). */
  readonly magnitude: number;
  /** n: ops per image. Default 2. */
  readonly numOps?: number;
  /** mstd: standard deviation of the Gaussian noise on the magnitude; Infinity samples U(0, m). Default 0. */
  readonly magnitudeStd?: number;
  /** Upper clip of the noisy magnitude. Default 10. */
  readonly magnitudeMax?: number;
  /** Probability that a chosen op is applied. Default 0.5. */
  readonly probability?: number;
  /** Default true: the "inc1" op set. */
  readonly increasing?: boolean;
  /** Sampling of the geometric ops. Default 'bilinear'. */
  readonly interpolation?: Interpolation;
  /** Fill value per channel for pixels moved in from outside. Default 128. */
  readonly fill?: readonly number[];
  /** Largest translation as a fraction of the image side. Default 0.45. */
  readonly translateFraction?: number;
}

/** Settings of the individual ops (geometry sampling, fill, translation range). */
export interface OpOptions {
  readonly interpolation: Interpolation;
  readonly fill: readonly number[] | undefined;
  readonly translateFraction: number;
}

interface ResolvedConfig extends OpOptions {
  readonly magnitude: number;
  readonly numOps: number;
  readonly magnitudeStd: number;
  readonly magnitudeMax: number;
  readonly probability: number;
  readonly ops: readonly RandAugmentOp[];
}

function resolve(config: RandAugmentConfig): ResolvedConfig {
  const { magnitude } = config;
  if (!(magnitude >= 0) || !Number.isFinite(magnitude)) {
    throw new RangeError(`RandAugment magnitude must be a number ≥ 0, got ${magnitude}`);
  }
  const numOps = config.numOps ?? 2;
  if (!Number.isInteger(numOps) || numOps < 0) throw new RangeError(`RandAugment n must be an integer ≥ 0, got ${numOps}`);
  const magnitudeStd = config.magnitudeStd ?? 0;
  if (!(magnitudeStd >= 0)) throw new RangeError(`RandAugment mstd must be ≥ 0, got ${magnitudeStd}`);
  const probability = config.probability ?? 0.5;
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`RandAugment probability must lie in [0, 1], got ${probability}`);
  return {
    magnitude,
    numOps,
    magnitudeStd,
    magnitudeMax: config.magnitudeMax ?? MAX_MAGNITUDE,
    probability,
    ops: config.increasing === false ? ORIGINAL_OPS : INCREASING_OPS,
    interpolation: config.interpolation ?? 'bilinear',
    fill: config.fill,
    translateFraction: config.translateFraction ?? 0.45,
  };
}

/**
 * Parses timm's configuration string, e.g. "rand-m9-mstd0.5-inc1" or
 * "rand-m7-n3-mstd0.5-mmax10-inc1". Unknown sections are an error.
 */
export function parseRandAugment(text: string): RandAugmentConfig {
  const sections = text.split('-');
  if (sections[0] !== 'rand') throw new SyntaxError(`RandAugment string '${text}' must start with 'rand'`);
  let magnitude = MAX_MAGNITUDE;
  let numOps: number | undefined;
  let magnitudeStd: number | undefined;
  let magnitudeMax: number | undefined;
  let increasing = false;
  for (const section of sections.slice(1)) {
    const match = /^([a-z]+)(\d.*)$/.exec(section);
    if (match === null) throw new SyntaxError(`RandAugment string '${text}': cannot read section '${section}'`);
    const [, key, value] = match;
    const number = Number(value);
    if (!Number.isFinite(number)) throw new SyntaxError(`RandAugment string '${text}': '${value}' is not a number`);
    switch (key) {
      case 'm':
        magnitude = number;
        break;
      case 'n':
        numOps = number;
        break;
      case 'mstd':
        magnitudeStd = number > 100 ? Number.POSITIVE_INFINITY : number;
        break;
      case 'mmax':
        magnitudeMax = number;
        break;
      case 'inc':
        increasing = number !== 0;
        break;
      default:
        throw new SyntaxError(`RandAugment string '${text}': unknown section '${key}' (known: m, n, mstd, mmax, inc)`);
    }
  }
  return { magnitude, numOps, magnitudeStd, magnitudeMax, increasing };
}

/** The timm configuration string of a config, e.g. "rand-m9-n2-mstd0.5-inc1". */
export function formatRandAugment(config: RandAugmentConfig): string {
  const c = resolve(config);
  const parts = [`rand-m${c.magnitude}`, `n${c.numOps}`];
  if (c.magnitudeStd > 0) parts.push(`mstd${Number.isFinite(c.magnitudeStd) ? c.magnitudeStd : 101}`);
  if (c.magnitudeMax !== MAX_MAGNITUDE) parts.push(`mmax${c.magnitudeMax}`);
  if (config.increasing !== false) parts.push('inc1');
  return parts.join('-');
}

/** timm's _randomly_negate: negative with probability ½. */
function randomlyNegate(value: number, random: Random): number {
  return random.float() > 0.5 ? -value : value;
}

export const DEFAULT_OP_OPTIONS: OpOptions = { interpolation: 'bilinear', fill: undefined, translateFraction: 0.45 };

/**
 * Runs one op at a magnitude level (already noised and clipped) on the 0 … 10
 * scale; `random` supplies the random sign of the signed ops.
 */
export function applyOp(op: RandAugmentOp, image: Image, level: number, random: Random, config: OpOptions = DEFAULT_OP_OPTIONS): Image {
  const fraction = level / MAX_MAGNITUDE;
  const fill = config.fill ?? new Array<number>(image.channels).fill(128);
  const geometric = (coefficients: readonly [number, number, number, number, number, number]) =>
    affineTransform(image, coefficients, config.interpolation, fill);
  const increasingFactor = () => Math.max(0.1, 1 + randomlyNegate(fraction * 0.9, random));
  const originalFactor = () => fraction * 1.8 + 0.1;
  switch (op) {
    case 'AutoContrast':
      return autoContrast(image);
    case 'Equalize':
      return equalize(image);
    case 'Invert':
      return invert(image);
    case 'Rotate':
      return geometric(rotateCoefficients(randomlyNegate(fraction * 30, random), image.width, image.height));
    case 'PosterizeIncreasing':
      return posterize(image, 4 - Math.trunc(fraction * 4));
    case 'Posterize':
      return posterize(image, Math.trunc(fraction * 4));
    case 'SolarizeIncreasing':
      return solarize(image, 256 - Math.trunc(fraction * 256));
    case 'Solarize':
      return solarize(image, Math.trunc(fraction * 256));
    case 'SolarizeAdd':
      return solarizeAdd(image, Math.trunc(fraction * 110));
    case 'ColorIncreasing':
      return color(image, increasingFactor());
    case 'Color':
      return color(image, originalFactor());
    case 'ContrastIncreasing':
      return contrast(image, increasingFactor());
    case 'Contrast':
      return contrast(image, originalFactor());
    case 'BrightnessIncreasing':
      return brightness(image, increasingFactor());
    case 'Brightness':
      return brightness(image, originalFactor());
    case 'SharpnessIncreasing':
      return sharpness(image, increasingFactor());
    case 'Sharpness':
      return sharpness(image, originalFactor());
    case 'ShearX':
      return geometric(shearXCoefficients(randomlyNegate(fraction * 0.3, random)));
    case 'ShearY':
      return geometric(shearYCoefficients(randomlyNegate(fraction * 0.3, random)));
    case 'TranslateXRel':
      return geometric(translateXCoefficients(randomlyNegate(fraction * config.translateFraction, random) * image.width));
    case 'TranslateYRel':
      return geometric(translateYCoefficients(randomlyNegate(fraction * config.translateFraction, random) * image.height));
  }
}

/** A RandAugment transform; one instance can be reused for every batch. */
export class RandAugment {
  readonly config: RandAugmentConfig;
  private readonly resolved: ResolvedConfig;

  constructor(config: RandAugmentConfig) {
    this.config = config;
    this.resolved = resolve(config);
  }

  /** The timm string of this transform. */
  toString(): string {
    return formatRandAugment(this.config);
  }

  /** Augments one image; draws all randomness from `random`. */
  image(image: Image, random: Random): Image {
    const c = this.resolved;
    const chosen: RandAugmentOp[] = [];
    for (let i = 0; i < c.numOps; i++) chosen.push(c.ops[random.int(0, c.ops.length)]);
    let current = image;
    for (const op of chosen) {
      if (c.probability < 1 && random.float() > c.probability) continue;
      let level = c.magnitude;
      if (c.magnitudeStd === Number.POSITIVE_INFINITY) level = random.uniform(0, level);
      else if (c.magnitudeStd > 0) level = random.normal(level, c.magnitudeStd);
      level = Math.max(0, Math.min(level, c.magnitudeMax));
      current = applyOp(op, current, level, random, c);
    }
    return current;
  }

  /** Augments every image of a batch (count × height × width × channels) into a new array. */
  batch(images: Uint8Array, count: number, height: number, width: number, channels: number, random: Random): Uint8Array {
    const size = height * width * channels;
    if (images.length !== count * size) {
      throw new RangeError(`expected ${count}×${height}×${width}×${channels} bytes, got ${images.length}`);
    }
    if (channels !== 1 && channels !== 3) throw new RangeError(`RandAugment works on 1- or 3-channel images, got ${channels}`);
    const out = new Uint8Array(images.length);
    for (let n = 0; n < count; n++) {
      const image: Image = { height, width, channels, data: images.subarray(n * size, (n + 1) * size) };
      out.set(this.image(image, random).data, n * size);
    }
    return out;
  }
}
