// PVT v1: a patch embedding per stage and spatial-reduction attention.
import type { PVTSpec } from '../../models/spec.js';
import { CostError } from '../errors.js';
import { windowOutput, type CostTrace } from '../trace.js';

export function tracePVT(spec: PVTSpec, t: CostTrace): void {
  let size = t.resolution;
  let nativeSize = spec.nativeResolution;
  let channels = spec.inChannels;
  const lastStage = spec.dims.length - 1;
  spec.dims.forEach((dim, i) => {
    const extra = spec.classToken && i === lastStage ? 1 : 0;
    const patch = spec.patchSizes[i];
    const heads = spec.heads[i];
    if (dim % heads !== 0) throw new CostError('bad-spec', `${spec.name}: stage ${i + 1} width ${dim} is not divisible by ${heads} heads`);
    size = t.block(`stage${i + 1}.patch_embed`, () => {
      const out = t.conv({ inChannels: channels, outChannels: dim, kernel: patch, stride: patch, padding: 0, bias: true }, size);
      t.norm(dim);
      nativeSize = Math.max(1, windowOutput(nativeSize, patch, patch, 0));
      t.params((nativeSize * nativeSize + extra) * dim + extra * dim); // position embedding, class token
      return out;
    });
    channels = dim;
    const tokens = size * size + extra;
    const sr = spec.srRatios[i];
    const hidden = Math.round(dim * spec.mlpRatios[i]);
    for (let j = 0; j < spec.depths[i]; j++) {
      t.block(`stage${i + 1}.block${j + 1}`, () => {
        t.norm(dim);
        t.linear(tokens, dim, dim, spec.qkvBias);
        let keys = tokens;
        if (sr > 1) {
          const reduced = t.conv({ inChannels: dim, outChannels: dim, kernel: sr, stride: sr, padding: 0, bias: true }, size);
          t.norm(dim);
          keys = reduced * reduced;
        }
        t.linear(keys, dim, 2 * dim, spec.qkvBias);
        t.attention(heads, tokens, keys, dim / heads);
        t.linear(tokens, dim, dim, true);
        t.norm(dim);
        t.linear(tokens, dim, hidden, true);
        t.linear(tokens, hidden, dim, true);
      });
    }
  });
  t.block('head', () => {
    t.norm(channels);
    t.linear(1, channels, spec.numClasses, true);
  });
}
