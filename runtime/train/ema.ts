// An exponential moving average of a model's parameters and buffers (timm's ModelEmaV2 keeps
// buffers too). The decay warms up as min(decay, (1 + n) / (10 + n)) after n updates, so that
// short CPU runs do not evaluate a copy still close to the random initialisation.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models/index.js';
import { variableFrom } from '../models/parameters.js';

export class Ema {
  updates = 0;
  private readonly shadow = new Map<string, tf.Variable>();

  constructor(
    readonly decay: number,
    model: Model,
  ) {
    for (const entry of [...model.parameters, ...model.buffers]) this.shadow.set(entry.name, variableFrom(tf.clone(entry.variable), false));
  }

  effectiveDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
  }

  /** Moves the average towards the model's current values; call inside tf.tidy. */
  update(model: Model): void {
    const d = this.effectiveDecay();
    for (const entry of [...model.parameters, ...model.buffers]) {
      const avg = this.shadow.get(entry.name)!;
      avg.assign(tf.add(tf.mul(avg, d), tf.mul(entry.variable, 1 - d)));
    }
    this.updates++;
  }

  entries(): { name: string; variable: tf.Variable }[] {
    return [...this.shadow].map(([name, variable]) => ({ name, variable }));
  }

  load(values: ReadonlyMap<string, tf.Tensor>, updates: number): void {
    this.updates = updates;
    for (const [name, variable] of this.shadow) {
      const value = values.get(name);
      if (value === undefined) throw new RangeError(`the checkpoint holds no EMA value of ${name}`);
      if (value.shape.join() !== variable.shape.join()) {
        throw new RangeError(`EMA value of ${name} has shape [${value.shape}] but the model's is [${variable.shape}]`);
      }
      variable.assign(value);
    }
  }

  resize(name: string, resize: (value: tf.Tensor) => tf.Tensor): void {
    const variable = this.shadow.get(name);
    if (variable === undefined) return;
    this.shadow.set(name, variableFrom(tf.tidy(() => resize(variable)), false));
    variable.dispose();
  }

  /** Runs `body` with the model holding the averaged values, then restores its own. */
  withAveragedWeights<T>(model: Model, body: () => T): T {
    const entries = [...model.parameters, ...model.buffers];
    const saved = entries.map((e) => tf.clone(e.variable));
    try {
      for (const e of entries) e.variable.assign(this.shadow.get(e.name)!);
      return body();
    } finally {
      entries.forEach((e, i) => e.variable.assign(saved[i]));
      tf.dispose(saved);
    }
  }

  dispose(): void {
    for (const variable of this.shadow.values()) variable.dispose();
    this.shadow.clear();
  }
}
