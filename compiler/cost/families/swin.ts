// Swin Transformer: window attention over maps padded to whole windows, patch merging.
import type { SwinSpec } from '../../models/spec.js';
import { CostError } from '../errors.js';
import type { CostTrace } from '../trace.js';
import { windowAt } from './windows.js';

export function traceSwin(spec: SwinSpec, t: CostTrace): void {
  const window = windowAt(spec.window, t.resolution, spec.name, 'window size');
  let size = t.block('patch_embed', () => {
    const out = t.conv({ inChannels: spec.inChannels, outChannels: spec.embedDim, kernel: spec.patchSize, stride: spec.patchSize, padding: 0, bias: true }, t.resolution);
    t.norm(spec.embedDim);
    return out;
  });
  let dim = spec.embedDim;
  spec.depths.forEach((depth, i) => {
    const heads = spec.heads[i];
    if (dim % heads !== 0) throw new CostError('bad-spec', `${spec.name}: stage ${i + 1} width ${dim} is not divisible by ${heads} heads`);
    // A window larger than the map shrinks to it (and then is not shifted), as in the reference code.
    const w = Math.min(window, size);
    const padded = Math.ceil(size / w) * w;
    const windows = (padded / w) ** 2;
    const hidden = Math.round(dim * spec.mlpRatio);
    for (let j = 0; j < depth; j++) {
      t.block(`stage${i + 1}.block${j + 1}`, () => {
        t.norm(dim);
        t.linear(padded * padded, dim, 3 * dim, spec.qkvBias);
        t.attention(heads * windows, w * w, w * w, dim / heads);
        t.params((2 * w - 1) ** 2 * heads); // relative position bias table
        t.linear(padded * padded, dim, dim, true);
        t.norm(dim);
        t.linear(size * size, dim, hidden, true);
        t.linear(size * size, hidden, dim, true);
      });
    }
    if (i < spec.depths.length - 1) {
      size = t.block(`stage${i + 1}.merge`, () => {
        const merged = Math.ceil(size / 2);
        t.norm(4 * dim);
        t.linear(merged * merged, 4 * dim, 2 * dim, false);
        return merged;
      });
      dim *= 2;
    }
  });
  t.block('head', () => {
    t.norm(dim);
    t.linear(1, dim, spec.numClasses, true);
  });
}
