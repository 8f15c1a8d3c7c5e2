/**
 * Mixup and CutMix with the semantics of timm's Mixup in 'batch' mode: one
 * coefficient per batch; with probability `switchProbability` CutMix (λ ~
 * Beta(cutmixAlpha)) else Mixup (λ ~ Beta(mixupAlpha)); image i is mixed with
 * image N−1−i; CutMix pastes a box whose area fixes the final λ; targets are
 * λ·smooth(y_i) + (1−λ)·smooth(y_{N−1−i}).
 */
import type { Random } from '../random.js';
import { smoothOneHot } from './label-smoothing.js';

export interface MixupOptions {
  readonly classes: number;
  /** Default 0.8 (0 disables mixup). */
  readonly mixupAlpha?: number;
  /** Default 1.0 (0 disables cutmix). */
  readonly cutmixAlpha?: number;
  /** Probability of mixing a batch at all. Default 1. */
  readonly probability?: number;
  /** Probability of CutMix rather than Mixup when both are enabled. Default 0.5. */
  readonly switchProbability?: number;
  /** Default 0.1. */
  readonly labelSmoothing?: number;
}

export interface MixedBatch {
  /** Mixed images, same layout as the input (count × height × width × channels). */
  readonly images: Float32Array;
  /** count × classes soft targets. */
  readonly targets: Float32Array;
  readonly lambda: number;
  readonly mode: 'mixup' | 'cutmix' | 'none';
  /** The pasted box for CutMix (rows [top, bottom), columns [left, right)). */
  readonly box?: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
}

export function mixupCutmix(
  images: Float32Array,
  labels: Int32Array,
  height: number,
  width: number,
  channels: number,
  options: MixupOptions,
  random: Random,
): MixedBatch {
  const count = labels.length;
  const size = height * width * channels;
  if (images.length !== count * size) throw new RangeError(`expected ${count}×${height}×${width}×${channels} values, got ${images.length}`);
  if (count % 2 !== 0) throw new RangeError(`mixup/cutmix needs an even batch size, got ${count}`);
  const mixupAlpha = options.mixupAlpha ?? 0.8;
  const cutmixAlpha = options.cutmixAlpha ?? 1.0;
  const probability = options.probability ?? 1;
  const switchProbability = options.switchProbability ?? 0.5;
  const smoothing = options.labelSmoothing ?? 0.1;

  let lambda = 1;
  let useCutmix = false;
  if ((mixupAlpha > 0 || cutmixAlpha > 0) && random.float() < probability) {
    if (mixupAlpha > 0 && cutmixAlpha > 0) {
      useCutmix = random.float() < switchProbability;
      lambda = useCutmix ? random.beta(cutmixAlpha, cutmixAlpha) : random.beta(mixupAlpha, mixupAlpha);
    } else if (mixupAlpha > 0) {
      lambda = random.beta(mixupAlpha, mixupAlpha);
    } else {
      useCutmix = true;
      lambda = random.beta(cutmixAlpha, cutmixAlpha);
    }
  }

  const out = images.slice();
  let box: MixedBatch['box'];
  if (lambda !== 1) {
    if (useCutmix) {
      const ratio = Math.sqrt(1 - lambda);
      const cutH = Math.trunc(height * ratio);
      const cutW = Math.trunc(width * ratio);
      const cy = random.int(0, height);
      const cx = random.int(0, width);
      const top = clamp(cy - Math.floor(cutH / 2), 0, height);
      const bottom = clamp(cy + Math.floor(cutH / 2), 0, height);
      const left = clamp(cx - Math.floor(cutW / 2), 0, width);
      const right = clamp(cx + Math.floor(cutW / 2), 0, width);
      box = { top, bottom, left, right };
      lambda = 1 - ((bottom - top) * (right - left)) / (height * width);
      for (let n = 0; n < count; n++) {
        const partner = count - 1 - n;
        for (let y = top; y < bottom; y++) {
          const from = partner * size + (y * width + left) * channels;
          out.set(images.subarray(from, from + (right - left) * channels), n * size + (y * width + left) * channels);
        }
      }
    } else {
      for (let n = 0; n < count; n++) {
        const self = n * size;
        const partner = (count - 1 - n) * size;
        for (let i = 0; i < size; i++) out[self + i] = lambda * images[self + i] + (1 - lambda) * images[partner + i];
      }
    }
  }

  const onehot = smoothOneHot(labels, options.classes, smoothing);
  const classes = options.classes;
  const targets = new Float32Array(onehot.length);
  for (let n = 0; n < count; n++) {
    const partner = count - 1 - n;
    for (let k = 0; k < classes; k++) {
      targets[n * classes + k] = lambda * onehot[n * classes + k] + (1 - lambda) * onehot[partner * classes + k];
    }
  }
  return { images: out, targets, lambda, mode: lambda === 1 && !useCutmix ? 'none' : useCutmix ? 'cutmix' : 'mixup', box };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
