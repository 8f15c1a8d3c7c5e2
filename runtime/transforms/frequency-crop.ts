/**
 * The low-frequency crop of EfficientTrain as a linear map. Along one axis of
 * length n, keeping the frequencies −b/2 … b/2−1 of the unnormalised DFT, scaling
 * by b/n and taking the inverse DFT of length b (which divides by b) is the b×n
 * complex matrix
 *
 *   P[j, t] = (1/n) · Σ_{k=−b/2}^{b/2−1} exp(2πi·k·(j/b − t/n)).
 *
 * The 2-D crop of an image x is separable: y = Re(P_H · x · P_Wᵀ), with the
 * overall factor (B/H)(B/W)/B² split between the two axes.
 */
import type { ComplexMatrix } from './separable-map.js';

export function checkBandwidth(inSize: number, bandwidth: number, axis: string): void {
  if (!Number.isInteger(bandwidth) || bandwidth < 2 || bandwidth % 2 !== 0) {
    throw new RangeError(`low-frequency crop bandwidth must be an even integer ≥ 2, got ${bandwidth} (${axis})`);
  }
  if (bandwidth > inSize) {
    throw new RangeError(`low-frequency crop bandwidth ${bandwidth} exceeds the image ${axis} ${inSize}`);
  }
}

export function frequencyCropMatrix(inSize: number, bandwidth: number): ComplexMatrix {
  checkBandwidth(inSize, bandwidth, 'size');
  const n = inSize;
  const b = bandwidth;
  // exp(2πi·k·(j·n − t·b)/(b·n)): the phase numerator is an integer, reduced
  // modulo b·n before the trigonometric table lookup to keep full precision.
  const period = b * n;
  const cos = new Float64Array(period);
  const sin = new Float64Array(period);
  for (let m = 0; m < period; m++) {
    cos[m] = Math.cos((2 * Math.PI * m) / period);
    sin[m] = Math.sin((2 * Math.PI * m) / period);
  }
  const re = new Float64Array(b * n);
  const im = new Float64Array(b * n);
  for (let j = 0; j < b; j++) {
    for (let t = 0; t < n; t++) {
      const step = j * n - t * b;
      let sumRe = 0;
      let sumIm = 0;
      for (let k = -b / 2; k < b / 2; k++) {
        const m = (((k * step) % period) + period) % period;
        sumRe += cos[m];
        sumIm += sin[m];
      }
      re[j * n + t] = sumRe / n;
      im[j * n + t] = sumIm / n;
    }
  }
  return { rows: b, cols: n, re, im };
}
