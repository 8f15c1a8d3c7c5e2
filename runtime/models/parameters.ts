// The learnable parameters and the buffers (running statistics) of a model, by name. Names are
// the model's own (`stage1.block2.conv1.weight`) and key the optimizer state, the EMA and the
// checkpoint; tfjs variable names are left to tfjs so that several models can coexist.
import * as tf from '@tensorflow/tfjs';
import { initialValues, type Initialiser } from './init.js';

export interface Parameter {
  readonly name: string;
  variable: tf.Variable;
  /** Whether weight decay applies (not to biases, norms, tokens and position embeddings). */
  readonly weightDecay: boolean;
}

export interface ModelBuffer {
  readonly name: string;
  variable: tf.Variable;
}

export class ParameterSet {
  readonly parameters: Parameter[] = [];
  readonly buffers: ModelBuffer[] = [];
  private readonly names = new Set<string>();

  constructor(readonly seed: number) {}

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`model builder: parameter ${name} defined twice`);
    this.names.add(name);
  }

  param(name: string, shape: number[], init: Initialiser, weightDecay: boolean): Parameter {
    this.claim(name);
    const size = shape.reduce((a, b) => a * b, 1);
    const variable = variableFrom(tf.tensor(initialValues(init, size, this.seed, name), shape, 'float32'), true);
    const parameter: Parameter = { name, variable, weightDecay };
    this.parameters.push(parameter);
    return parameter;
  }

  buffer(name: string, shape: number[], value: number): ModelBuffer {
    this.claim(name);
    const buffer: ModelBuffer = { name, variable: variableFrom(tf.fill(shape, value, 'float32'), false) };
    this.buffers.push(buffer);
    return buffer;
  }

  /** Every tensor of the model's state, parameters first. */
  all(): { name: string; variable: tf.Variable }[] {
    return [...this.parameters, ...this.buffers];
  }

  dispose(): void {
    for (const entry of this.all()) entry.variable.dispose();
  }
}

/** A variable holding `value`'s data; `value` itself is disposed. */
export function variableFrom(value: tf.Tensor, trainable: boolean): tf.Variable {
  const variable = tf.variable(value, trainable);
  value.dispose();
  return variable;
}

/** Replaces a parameter's variable with one holding `value` (of another shape); the old variable and `value` are disposed. */
export function reshapeParameter(parameter: Parameter, value: tf.Tensor): void {
  const next = variableFrom(value, true);
  parameter.variable.dispose();
  parameter.variable = next;
}
