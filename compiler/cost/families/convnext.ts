// ConvNeXt: patchify stem, depthwise-conv blocks with inverted MLPs, LayerNorm + 2×2 conv downsampling.
import type { ConvNeXtSpec } from '../../models/spec.js';
import type { CostTrace } from '../trace.js';

export function traceConvNeXt(spec: ConvNeXtSpec, t: CostTrace): void {
  let size = t.block('stem', () => {
    const out = t.conv({ inChannels: spec.inChannels, outChannels: spec.dims[0], kernel: spec.stemPatch, stride: spec.stemPatch, padding: 0, bias: true }, t.resolution);
    t.norm(spec.dims[0]);
    return out;
  });
  spec.dims.forEach((dim, i) => {
    if (i > 0) {
      size = t.block(`stage${i + 1}.downsample`, () => {
        t.norm(spec.dims[i - 1]);
        return t.conv({ inChannels: spec.dims[i - 1], outChannels: dim, kernel: 2, stride: 2, padding: 0, bias: true }, size);
      });
    }
    const hidden = Math.round(dim * spec.mlpRatio);
    for (let j = 0; j < spec.depths[i]; j++) {
      t.block(`stage${i + 1}.block${j + 1}`, () => {
        const k = spec.kernelSize;
        t.conv({ inChannels: dim, outChannels: dim, kernel: k, stride: 1, padding: Math.floor(k / 2), groups: dim, bias: true }, size);
        t.norm(dim);
        t.linear(size * size, dim, hidden, true);
        t.linear(size * size, hidden, dim, true);
        t.params(dim); // layer scale
      });
    }
  });
  const last = spec.dims[spec.dims.length - 1];
  t.block('head', () => {
    t.norm(last);
    t.linear(1, last, spec.numClasses, true);
  });
}
