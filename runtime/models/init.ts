// Seeded weight initialisers. Values are drawn in JavaScript from the project's generator, one
// stream per parameter (derived from the run's seed and the parameter's name), so a model built
// twice from the same seed is identical on every backend, and adding a layer does not shift the
// draws of the others.
import { deriveSeed, hashString, Random } from '../random.js';

export type Initialiser =
  /** N(0, std²) truncated at ±2 std (timm's trunc_normal_ for transformers). */
  | { kind: 'truncated-normal'; std: number }
  /** He normal over the fan-out (torchvision's ResNet convolutions). */
  | { kind: 'he-normal-fan-out'; fanOut: number }
  /** U(−1/√fanIn, 1/√fanIn): PyTorch's default for linear and conv layers (weights and biases). */
  | { kind: 'uniform-fan-in'; fanIn: number }
  | { kind: 'constant'; value: number };

/** The seed of one parameter's stream. */
export function parameterSeed(seed: number, name: string): number {
  return deriveSeed(seed, hashString(name));
}

export function initialValues(init: Initialiser, size: number, seed: number, name: string): Float32Array {
  const out = new Float32Array(size);
  if (init.kind === 'constant') return out.fill(init.value);
  const random = new Random(parameterSeed(seed, name));
  switch (init.kind) {
    case 'truncated-normal':
      for (let i = 0; i < size; i++) {
        let z: number;
        do z = random.normal();
        while (Math.abs(z) > 2);
        out[i] = z * init.std;
      }
      return out;
    case 'he-normal-fan-out': {
      const std = Math.sqrt(2 / init.fanOut);
      for (let i = 0; i < size; i++) out[i] = random.normal() * std;
      return out;
    }
    case 'uniform-fan-in': {
      const bound = 1 / Math.sqrt(init.fanIn);
      for (let i = 0; i < size; i++) out[i] = random.uniform(-bound, bound);
      return out;
    }
  }
}
