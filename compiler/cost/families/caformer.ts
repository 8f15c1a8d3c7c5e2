// CAFormer (MetaFormer baselines): separable-conv mixers early, attention late, MLP head.
import type { CAFormerSpec } from '../../models/spec.js';
import { CostError } from '../errors.js';
import type { CostTrace } from '../trace.js';

const STAR_RELU_PARAMS = 2; // learnable scale and bias

export function traceCAFormer(spec: CAFormerSpec, t: CostTrace): void {
  let size = t.block('stem', () => {
    const out = t.conv({ inChannels: spec.inChannels, outChannels: spec.dims[0], kernel: 7, stride: 4, padding: 2, bias: true }, t.resolution);
    t.norm(spec.dims[0], false);
    return out;
  });
  spec.dims.forEach((dim, i) => {
    if (i > 0) {
      size = t.block(`stage${i + 1}.downsample`, () => {
        t.norm(spec.dims[i - 1], false);
        return t.conv({ inChannels: spec.dims[i - 1], outChannels: dim, kernel: 3, stride: 2, padding: 1, bias: true }, size);
      });
    }
    const tokens = size * size;
    const hidden = Math.round(dim * spec.mlpRatio);
    const mixer = spec.mixers[i];
    if (mixer === 'attention' && dim % spec.headDim !== 0) {
      throw new CostError('bad-spec', `${spec.name}: stage ${i + 1} width ${dim} is not a multiple of the head width ${spec.headDim}`);
    }
    // Residual scales on the attention stages (MetaFormer's res_scale_init_values).
    const residualScales = mixer === 'attention';
    for (let j = 0; j < spec.depths[i]; j++) {
      t.block(`stage${i + 1}.block${j + 1}`, () => {
        t.norm(dim, false);
        if (mixer === 'sepconv') {
          const wide = dim * spec.sepConvExpansion;
          t.linear(tokens, dim, wide, false);
          t.params(STAR_RELU_PARAMS);
          const k = spec.sepConvKernel;
          t.conv({ inChannels: wide, outChannels: wide, kernel: k, stride: 1, padding: Math.floor(k / 2), groups: wide, bias: false }, size);
          t.linear(tokens, wide, dim, false);
        } else {
          const heads = dim / spec.headDim;
          t.linear(tokens, dim, 3 * dim, false);
          t.attention(heads, tokens, tokens, spec.headDim);
          t.linear(tokens, dim, dim, false);
        }
        t.norm(dim, false);
        t.linear(tokens, dim, hidden, false);
        t.params(STAR_RELU_PARAMS);
        t.linear(tokens, hidden, dim, false);
        if (residualScales) t.params(2 * dim);
      });
    }
  });
  const last = spec.dims[spec.dims.length - 1];
  const headHidden = Math.round(last * spec.headMlpRatio);
  t.block('head', () => {
    t.norm(last);
    t.linear(1, last, headHidden, true);
    t.norm(headHidden);
    t.linear(1, headHidden, spec.numClasses, true);
  });
}
