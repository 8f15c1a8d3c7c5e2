// A plain conv stack: conv (+ norm, activation, pool) layers, global pool, MLP head.
import type { ConvNetSpec } from '../../models/spec.js';
import type { CostTrace } from '../trace.js';

export function traceConvNet(spec: ConvNetSpec, t: CostTrace): void {
  let size = t.resolution;
  let channels = spec.inChannels;
  spec.layers.forEach((layer, i) => {
    size = t.block(`conv${i + 1}`, () => {
      let out = t.conv({ inChannels: channels, outChannels: layer.channels, kernel: layer.kernel, stride: layer.stride, padding: layer.padding, bias: spec.convBias }, size);
      if (spec.norm === 'batch') t.norm(layer.channels);
      if (layer.pool) out = t.pool(out, layer.pool.size, layer.pool.stride, layer.pool.padding);
      return out;
    });
    channels = layer.channels;
  });
  t.block('head', () => {
    for (const width of spec.head.hidden) {
      t.linear(1, channels, width, true);
      channels = width;
    }
    t.linear(1, channels, spec.numClasses, true);
  });
}
