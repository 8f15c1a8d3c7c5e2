// tf.train.adam with each variable's update done by one fused kernel where the backend has
// it (runtime/kernels/adam-update.ts): the same arithmetic in the same float32 order, so the
// same weights to the bit, at a fraction of the kernel calls. Used by the data-parallel
// replicas and the training benchmark, which take a tf.Optimizer.
import * as tf from '@tensorflow/tfjs';

/** A tensor with the name it is saved under (tfjs-core's NamedTensor, not re-exported by tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };
import { adamUpdate } from '../kernels/adam-update.js';

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }

  private readonly moments = new Map<string, Moments>();
  /** β^t as tf.train.adam keeps it: a float32 product updated once per step. */
  private power1: number;
  private power2: number;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = tf.backend() !== undefined ? tf.backend().epsilon() : 1e-7,
  ) {
    super();
    this.power1 = Math.fround(beta1);
    this.power2 = Math.fround(beta2);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    tf.tidy(() => {
      for (const [name, gradient] of entries) {
        const value = tf.engine().registeredVariables[name];
        if (value === undefined) throw new Error(`FusedAdamOptimizer: no variable named '${name}'`);
        let moments = this.moments.get(name);
        if (moments === undefined) {
          moments = { m: tf.zerosLike(value).variable(false), v: tf.zerosLike(value).variable(false) };
          this.moments.set(name, moments);
        }
        if (gradient == null) continue;
        const [p2, m2, v2] = adamUpdate(value, moments.m, moments.v, gradient, {
          beta1: this.beta1,
          beta2: this.beta2,
          correction1: Math.fround(1 - this.power1),
          correction2: Math.fround(1 - this.power2),
          epsilon: this.epsilon,
          lr: this.learningRate,
          decay: null,
        });
        moments.m.assign(m2);
        moments.v.assign(v2);
        value.assign(p2);
      }
    });
    this.power1 = Math.fround(this.power1 * Math.fround(this.beta1));
    this.power2 = Math.fround(this.power2 * Math.fround(this.beta2));
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, { m, v }] of this.moments) out.push({ name: `${name}/m`, tensor: m }, { name: `${name}/v`, tensor: v });
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const t = this.iterations;
    this.power1 = Math.fround(this.beta1);
    this.power2 = Math.fround(this.beta2);
    for (let i = 0; i < t; i++) {
      this.power1 = Math.fround(this.power1 * Math.fround(this.beta1));
      this.power2 = Math.fround(this.power2 * Math.fround(this.beta2));
    }
    for (const { name, tensor } of rest) {
      const slash = name.lastIndexOf('/');
      const variableName = name.slice(0, slash);
      const which = name.slice(slash + 1) as 'm' | 'v';
      let moments = this.moments.get(variableName);
      if (moments === undefined) {
        moments = { m: tf.zerosLike(tensor).variable(false), v: tf.zerosLike(tensor).variable(false) };
        this.moments.set(variableName, moments);
      }
      moments[which].assign(tensor);
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
