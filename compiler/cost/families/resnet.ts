// ResNet: stem, basic or bottleneck blocks with projection shortcuts, linear head.
import type { ResNetSpec } from '../../models/spec.js';
import type { CostTrace } from '../trace.js';

function stem(spec: ResNetSpec, t: CostTrace, size: number): number {
  return t.block('stem', () => {
    const imagenet = spec.stem === 'imagenet';
    let out = t.conv({ inChannels: spec.inChannels, outChannels: spec.stemWidth, kernel: imagenet ? 7 : 3, stride: imagenet ? 2 : 1, padding: imagenet ? 3 : 1, bias: false }, size);
    t.norm(spec.stemWidth);
    if (imagenet) out = t.pool(out, 3, 2, 1);
    return out;
  });
}

function basic(t: CostTrace, size: number, inC: number, width: number, stride: number): number {
  const out = t.conv({ inChannels: inC, outChannels: width, kernel: 3, stride, padding: 1, bias: false }, size);
  t.norm(width);
  t.conv({ inChannels: width, outChannels: width, kernel: 3, stride: 1, padding: 1, bias: false }, out);
  t.norm(width);
  if (stride !== 1 || inC !== width) {
    t.conv({ inChannels: inC, outChannels: width, kernel: 1, stride, padding: 0, bias: false }, size);
    t.norm(width);
  }
  return out;
}

function bottleneck(spec: ResNetSpec, t: CostTrace, size: number, inC: number, width: number, stride: number): number {
  const outC = 4 * width;
  const strideOn1x1 = spec.bottleneckStrideOn === '1x1';
  const mid = t.conv({ inChannels: inC, outChannels: width, kernel: 1, stride: strideOn1x1 ? stride : 1, padding: 0, bias: false }, size);
  t.norm(width);
  const out = t.conv({ inChannels: width, outChannels: width, kernel: 3, stride: strideOn1x1 ? 1 : stride, padding: 1, bias: false }, mid);
  t.norm(width);
  t.conv({ inChannels: width, outChannels: outC, kernel: 1, stride: 1, padding: 0, bias: false }, out);
  t.norm(outC);
  if (stride !== 1 || inC !== outC) {
    t.conv({ inChannels: inC, outChannels: outC, kernel: 1, stride, padding: 0, bias: false }, size);
    t.norm(outC);
  }
  return out;
}

export function traceResNet(spec: ResNetSpec, t: CostTrace): void {
  const expansion = spec.block === 'bottleneck' ? 4 : 1;
  let size = stem(spec, t, t.resolution);
  let channels = spec.stemWidth;
  spec.depths.forEach((depth, i) => {
    for (let j = 0; j < depth; j++) {
      const stride = j === 0 ? spec.strides[i] : 1;
      const width = spec.widths[i];
      size = t.block(`stage${i + 1}.block${j + 1}`, () =>
        spec.block === 'bottleneck' ? bottleneck(spec, t, size, channels, width, stride) : basic(t, size, channels, width, stride),
      );
      channels = width * expansion;
    }
  });
  t.block('head', () => t.linear(1, channels, spec.numClasses, true));
}
