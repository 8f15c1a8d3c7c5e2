// ViT / DeiT: patch embedding, global self-attention blocks, linear head.
import type { ViTSpec } from '../../models/spec.js';
import { CostError } from '../errors.js';
import { windowOutput, type CostTrace } from '../trace.js';

export function traceViT(spec: ViTSpec, t: CostTrace): void {
  const d = spec.embedDim;
  if (d % spec.heads !== 0) throw new CostError('bad-spec', `${spec.name}: embedding width ${d} is not divisible by ${spec.heads} heads`);
  const extra = spec.classToken ? 1 : 0;
  const grid = t.block('patch_embed', () => {
    const out = t.conv({ inChannels: spec.inChannels, outChannels: d, kernel: spec.patchSize, stride: spec.patchSize, padding: 0, bias: true }, t.resolution);
    const nativeGrid = windowOutput(spec.nativeResolution, spec.patchSize, spec.patchSize, 0);
    t.params((Math.max(nativeGrid, 1) ** 2 + extra) * d + extra * d); // position embedding, class token
    return out;
  });
  const tokens = grid * grid + extra;
  const hidden = Math.round(d * spec.mlpRatio);
  for (let i = 0; i < spec.depth; i++) {
    t.block(`block${i + 1}`, () => {
      t.norm(d);
      t.linear(tokens, d, 3 * d, spec.qkvBias);
      t.attention(spec.heads, tokens, tokens, d / spec.heads);
      t.linear(tokens, d, d, true);
      t.norm(d);
      t.linear(tokens, d, hidden, true);
      t.linear(tokens, hidden, d, true);
    });
  }
  t.block('head', () => {
    t.norm(d);
    t.linear(1, d, spec.numClasses, true);
  });
}
