// AdamW and SGD over a model's named parameters, with PyTorch's update rules:
// - AdamW: decoupled weight decay, p ← p·(1 − lr·wd), then the bias-corrected Adam step;
// - SGD: weight decay added to the gradient (g + wd·p), momentum buffer b ← μ·b + g, and the
//   step p ← p − lr·(g + μ·b) with Nesterov or p ← p − lr·b without.
// Weight decay applies to the parameters the model marks for it (weights of convolutions and
// linear layers; not biases, norms, tokens or position embeddings: timm's convention).
// The state is kept in tfjs variables by parameter name, so it can be checkpointed, restored,
// and resized when a parameter changes shape with the training resolution.
import * as tf from '@tensorflow/tfjs';
import type { PlanOptimizer } from '../../plan/types.js';
import { adamUpdate } from '../kernels/adam-update.js';
import type { Parameter } from '../models/index.js';
import { variableFrom } from '../models/parameters.js';

export interface OptimizerSlot {
  /** `<parameter>/<slot>`, e.g. `pos_embed/exp_avg`. */
  name: string;
  variable: tf.Variable;
}

export class Optimizer {
  /** Updates applied so far. */
  step = 0;
  private readonly slots = new Map<string, Map<string, tf.Variable>>();

  constructor(readonly config: PlanOptimizer) {}

  private slotNames(): string[] {
    return this.config.name === 'adamw' ? ['exp_avg', 'exp_avg_sq'] : this.config.momentum > 0 ? ['momentum'] : [];
  }

  private slotsOf(parameter: Parameter): Map<string, tf.Variable> {
    let slots = this.slots.get(parameter.name);
    if (slots === undefined) {
      slots = new Map();
      for (const slot of this.slotNames()) slots.set(slot, variableFrom(tf.zerosLike(parameter.variable), false));
      this.slots.set(parameter.name, slots);
    }
    return slots;
  }

  /** Applies one update with learning rate `lr`; call inside tf.tidy. */
  apply(parameters: readonly Parameter[], grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    this.step++;
    const c = this.config;
    for (const p of parameters) {
      const g = grads.get(p.name);
      if (g === undefined) continue;
      const slots = this.slotsOf(p);
      const decay = p.weightDecay ? c.weight_decay : 0;
      if (c.name === 'adamw') {
        const m = slots.get('exp_avg')!;
        const v = slots.get('exp_avg_sq')!;
        const [p2, m2, v2] = adamUpdate(p.variable, m, v, g, {
          beta1: c.beta1,
          beta2: c.beta2,
          correction1: 1 - c.beta1 ** this.step,
          correction2: 1 - c.beta2 ** this.step,
          epsilon: c.eps,
          lr,
          decay: decay > 0 ? 1 - lr * decay : null,
        });
        m.assign(m2);
        v.assign(v2);
        p.variable.assign(p2);
      } else {
        let d = decay > 0 ? tf.add(g, tf.mul(p.variable, decay)) : g;
        if (c.momentum > 0) {
          const b = slots.get('momentum')!;
          b.assign(tf.add(tf.mul(b, c.momentum), d));
          d = c.nesterov ? tf.add(d, tf.mul(b, c.momentum)) : b;
        }
        p.variable.assign(tf.sub(p.variable, tf.mul(d, lr)));
      }
    }
  }

  /** Every state tensor, by `<parameter>/<slot>` (for checkpoints). */
  state(): OptimizerSlot[] {
    const out: OptimizerSlot[] = [];
    for (const [parameter, slots] of this.slots) for (const [slot, variable] of slots) out.push({ name: `${parameter}/${slot}`, variable });
    return out;
  }

  /** Restores state saved by state(); tensors of parameters not listed are created as needed. */
  load(parameters: readonly Parameter[], values: ReadonlyMap<string, tf.Tensor>, step: number): void {
    this.step = step;
    for (const p of parameters) {
      const slots = this.slotsOf(p);
      for (const [slot, variable] of slots) {
        const value = values.get(`${p.name}/${slot}`);
        if (value === undefined) continue;
        if (value.shape.join() !== variable.shape.join()) {
          throw new RangeError(`optimizer state ${p.name}/${slot} has shape [${value.shape}] but the parameter is [${variable.shape}]`);
        }
        variable.assign(value);
      }
    }
  }

  /** Maps a parameter's state through `resize` after the parameter changed shape. */
  resize(parameterName: string, resize: (value: tf.Tensor) => tf.Tensor): void {
    const slots = this.slots.get(parameterName);
    if (slots === undefined) return;
    for (const [slot, variable] of slots) {
      const next = variableFrom(tf.tidy(() => resize(variable)), false);
      variable.dispose();
      slots.set(slot, next);
    }
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const variable of slots.values()) variable.dispose();
    this.slots.clear();
  }
}
