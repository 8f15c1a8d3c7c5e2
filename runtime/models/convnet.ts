// The plain conv stack exactly as its spec says: per layer conv → (batch norm) → activation →
// (pool); then a global pool, the hidden linear layers of the head, dropout and the classifier.
import type * as tf from '@tensorflow/tfjs';
import type { ConvNetSpec } from '../../compiler/models/spec.js';
import { activate, BatchNorm, Conv2d, dropout, globalPool, Linear, pool2d, type ForwardContext } from './layers.js';
import type { Model, ResolutionChange } from './model.js';
import { ParameterSet, type ModelBuffer, type Parameter } from './parameters.js';

interface ConvUnit {
  conv: Conv2d;
  norm: BatchNorm | undefined;
  pool: ConvNetSpec['layers'][number]['pool'];
}

export class ConvNetModel implements Model {
  private readonly set: ParameterSet;
  private readonly units: ConvUnit[] = [];
  private readonly hidden: Linear[] = [];
  private readonly classifier: Linear;
  trainingResolution: number;

  constructor(
    readonly spec: ConvNetSpec,
    seed: number,
  ) {
    this.set = new ParameterSet(seed);
    this.trainingResolution = spec.nativeResolution;
    let channels = spec.inChannels;
    spec.layers.forEach((layer, i) => {
      const name = `conv${i + 1}`;
      const conv = new Conv2d(this.set, name, channels, layer.channels, layer.kernel, layer.stride, layer.padding, spec.convBias, {
        kind: 'he-normal-fan-out',
        fanOut: layer.kernel * layer.kernel * layer.channels,
      });
      const norm = spec.norm === 'batch' ? new BatchNorm(this.set, `${name}.bn`, layer.channels) : undefined;
      this.units.push({ conv, norm, pool: layer.pool });
      channels = layer.channels;
    });
    spec.head.hidden.forEach((width, i) => {
      this.hidden.push(new Linear(this.set, `head.fc${i + 1}`, channels, width, true, { kind: 'uniform-fan-in', fanIn: channels }));
      channels = width;
    });
    this.classifier = new Linear(this.set, 'head.classifier', channels, spec.numClasses, true, { kind: 'uniform-fan-in', fanIn: channels });
  }

  get parameters(): readonly Parameter[] {
    return this.set.parameters;
  }

  get buffers(): readonly ModelBuffer[] {
    return this.set.buffers;
  }

  forward(images: tf.Tensor4D, ctx: ForwardContext): tf.Tensor2D {
    let x = images;
    for (const unit of this.units) {
      x = unit.conv.apply(x, ctx);
      if (unit.norm) x = unit.norm.apply(x, ctx);
      x = activate(x, this.spec.activation);
      if (unit.pool) x = pool2d(x, unit.pool.kind, unit.pool.size, unit.pool.stride, unit.pool.padding);
    }
    let h = globalPool(x, this.spec.head.pool);
    for (const layer of this.hidden) h = activate(layer.apply(h, ctx), this.spec.activation);
    h = dropout(h, this.spec.head.dropout, ctx);
    return this.classifier.apply(h, ctx);
  }

  setTrainingResolution(resolution: number): ResolutionChange[] {
    this.trainingResolution = resolution;
    return [];
  }

  dispose(): void {
    this.set.dispose();
  }
}
