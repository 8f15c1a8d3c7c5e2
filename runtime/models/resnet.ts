// ResNet (torchvision/timm layout): stem, basic or bottleneck blocks with 1×1 projection
// shortcuts where the shape changes, global average pool, linear head. Convolutions without
// bias, He-normal (fan-out) initialised; the last batch norm of each block starts at zero
// (timm's zero_init_last), so every block starts as the identity. Drop-path per block when the
// recipe asks for it, rising linearly to the rate over the blocks.
import * as tf from '@tensorflow/tfjs';
import type { ResNetSpec } from '../../compiler/models/spec.js';
import { BatchNorm, Conv2d, dropPath, globalPool, Linear, type ForwardContext } from './layers.js';
import type { Model, ResolutionChange } from './model.js';
import { ParameterSet, type ModelBuffer, type Parameter } from './parameters.js';

interface ConvBn {
  conv: Conv2d;
  bn: BatchNorm;
}

interface Block {
  convs: ConvBn[];
  shortcut: ConvBn | undefined;
  dropPathRate: number;
}

function convBn(set: ParameterSet, name: string, inC: number, outC: number, kernel: number, stride: number, padding: number, gamma = 1): ConvBn {
  return {
    conv: new Conv2d(set, `${name}`, inC, outC, kernel, stride, padding, false, { kind: 'he-normal-fan-out', fanOut: kernel * kernel * outC }),
    bn: new BatchNorm(set, `${name}.bn`, outC, gamma),
  };
}

function applyConvBn(unit: ConvBn, x: tf.Tensor4D, ctx: ForwardContext): tf.Tensor4D {
  return unit.bn.apply(unit.conv.apply(x, ctx), ctx);
}

export class ResNetModel implements Model {
  private readonly set: ParameterSet;
  private readonly stem: ConvBn;
  private readonly blocks: Block[] = [];
  private readonly head: Linear;
  trainingResolution: number;

  constructor(
    readonly spec: ResNetSpec,
    seed: number,
    dropPathRate = 0,
  ) {
    this.set = new ParameterSet(seed);
    this.trainingResolution = spec.nativeResolution;
    const imagenet = spec.stem === 'imagenet';
    this.stem = convBn(this.set, 'stem', spec.inChannels, spec.stemWidth, imagenet ? 7 : 3, imagenet ? 2 : 1, imagenet ? 3 : 1);
    const expansion = spec.block === 'bottleneck' ? 4 : 1;
    const totalBlocks = spec.depths.reduce((a, b) => a + b, 0);
    let channels = spec.stemWidth;
    let index = 0;
    spec.depths.forEach((depth, i) => {
      for (let j = 0; j < depth; j++) {
        const stride = j === 0 ? spec.strides[i] : 1;
        const width = spec.widths[i];
        const outC = width * expansion;
        const name = `stage${i + 1}.block${j + 1}`;
        const convs =
          spec.block === 'basic'
            ? [convBn(this.set, `${name}.conv1`, channels, width, 3, stride, 1), convBn(this.set, `${name}.conv2`, width, width, 3, 1, 1, 0)]
            : [
                convBn(this.set, `${name}.conv1`, channels, width, 1, spec.bottleneckStrideOn === '1x1' ? stride : 1, 0),
                convBn(this.set, `${name}.conv2`, width, width, 3, spec.bottleneckStrideOn === '1x1' ? 1 : stride, 1),
                convBn(this.set, `${name}.conv3`, width, outC, 1, 1, 0, 0),
              ];
        const shortcut = stride !== 1 || channels !== outC ? convBn(this.set, `${name}.downsample`, channels, outC, 1, stride, 0) : undefined;
        const rate = totalBlocks > 1 ? (dropPathRate * index) / (totalBlocks - 1) : dropPathRate;
        this.blocks.push({ convs, shortcut, dropPathRate: rate });
        channels = outC;
        index++;
      }
    });
    this.head = new Linear(this.set, 'head', channels, spec.numClasses, true, { kind: 'uniform-fan-in', fanIn: channels });
  }

  get parameters(): readonly Parameter[] {
    return this.set.parameters;
  }

  get buffers(): readonly ModelBuffer[] {
    return this.set.buffers;
  }

  forward(images: tf.Tensor4D, ctx: ForwardContext): tf.Tensor2D {
    let x = tf.relu(applyConvBn(this.stem, images, ctx));
    if (this.spec.stem === 'imagenet') x = tf.maxPool(x, 3, 2, 1);
    for (const block of this.blocks) {
      let y = x;
      block.convs.forEach((unit, i) => {
        y = applyConvBn(unit, y, ctx);
        if (i < block.convs.length - 1) y = tf.relu(y);
      });
      const identity = block.shortcut ? applyConvBn(block.shortcut, x, ctx) : x;
      x = tf.relu(tf.add(identity, dropPath(y, block.dropPathRate, ctx)) as tf.Tensor4D);
    }
    return this.head.apply(globalPool(x, 'avg'), ctx);
  }

  setTrainingResolution(resolution: number): ResolutionChange[] {
    this.trainingResolution = resolution;
    return [];
  }

  dispose(): void {
    this.set.dispose();
  }
}
