// Parametric model families small enough to train on a CPU: `resnet(...)`, `convnet(...)`,
// `vit(...)`. Each family declares its arguments (type, range, default) and expands them into
// a complete spec for a data set's channels, classes and resolution. Bad arguments come back
// as a list of problems (the compiler turns them into diagnostics), never as an exception.
import { closestName } from '../../diagnostics/suggest.js';
import type { Activation, ConvLayerSpec, ConvNetSpec, ModelSpec, ResNetSpec, ViTSpec } from './spec.js';

export interface FamilyContext {
  inChannels: number;
  numClasses: number;
  /** The data set's full resolution. */
  resolution: number;
}

export type FamilyArgumentErrorKind = 'unknown-family' | 'unknown-argument' | 'wrong-type' | 'out-of-range' | 'invalid';

export interface FamilyArgumentError {
  kind: FamilyArgumentErrorKind;
  /** The argument at fault; absent when the problem is the family name itself. */
  argument?: string;
  message: string;
  /** Help lines: a "did you mean" or the nearest valid values. */
  help: string[];
  /** The problem comes from the data set's resolution, not from the arguments alone. */
  dependsOnInput?: boolean;
}

export type FamilyResult = { spec: ModelSpec } | { errors: FamilyArgumentError[] };

type ArgValue = number | string;

interface NumberArg {
  kind: 'int' | 'number';
  min: number;
  max: number;
  default: number | ((ctx: FamilyContext) => number);
  doc: string;
}

interface ChoiceArg {
  kind: 'choice';
  choices: readonly string[];
  default: string | ((ctx: FamilyContext) => string);
  doc: string;
}

type ArgSpec = NumberArg | ChoiceArg;

type Values = Record<string, ArgValue>;

interface Family {
  args: Record<string, ArgSpec>;
  /** Builds the spec from complete, individually valid arguments; reports cross-argument problems. */
  build(values: Values, ctx: FamilyContext, name: string): ModelSpec | FamilyArgumentError[];
}

function invalid(argument: string, message: string, help: string[] = []): FamilyArgumentError {
  return { kind: 'invalid', argument, message, help };
}

/** A problem of the arguments against the data set's input (its resolution). */
function invalidForInput(argument: string, message: string, help: string[] = []): FamilyArgumentError {
  return { ...invalid(argument, message, help), dependsOnInput: true };
}

function orList(values: readonly number[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** The nearest values below and above `value` that satisfy `ok`, within [lo, hi]. */
function nearest(value: number, lo: number, hi: number, ok: (v: number) => boolean): number[] {
  const found: number[] = [];
  for (let v = Math.min(Math.floor(value), hi); v >= lo; v--) if (ok(v) && v !== value) { found.push(v); break; }
  for (let v = Math.max(Math.ceil(value), lo); v <= hi; v++) if (ok(v) && v !== value) { found.push(v); break; }
  return found;
}

const RESNET: Family = {
  args: {
    depth: { kind: 'int', min: 4, max: 1000, default: 20, doc: 'layers with weights: 2 + blocks × (2 basic, 3 bottleneck)' },
    width: { kind: 'int', min: 1, max: 1024, default: 16, doc: 'channels of the first stage (doubled at each later stage)' },
    stages: { kind: 'int', min: 1, max: 6, default: 3, doc: 'stages; every stage after the first halves the map' },
    block: { kind: 'choice', choices: ['basic', 'bottleneck'], default: 'basic', doc: 'residual block' },
    stem: { kind: 'choice', choices: ['cifar', 'imagenet'], default: (ctx) => (ctx.resolution <= 64 ? 'cifar' : 'imagenet'), doc: '3×3 conv (cifar; default up to 64 px) or 7×7/2 conv + max pool (imagenet)' },
  },
  build(values, ctx, name) {
    const depth = values.depth as number;
    const stages = values.stages as number;
    const block = values.block as ResNetSpec['block'];
    const stem = values.stem as ResNetSpec['stem'];
    const width = values.width as number;
    const layersPerBlock = block === 'bottleneck' ? 3 : 2;
    const valid = (d: number) => d > 2 && (d - 2) % (layersPerBlock * stages) === 0;
    const errors: FamilyArgumentError[] = [];
    if (!valid(depth)) {
      const options = nearest(depth, 2 + layersPerBlock * stages, 1000, valid);
      errors.push(invalid('depth', `depth ${depth} is not 2 + ${layersPerBlock} × ${stages} × n: ${stages} stage${stages === 1 ? '' : 's'} of ${block} blocks need that`, options.length ? [`use depth ${orList(options)}`] : []));
    }
    const stride = (stem === 'imagenet' ? 4 : 1) * 2 ** (stages - 1);
    if (stride > ctx.resolution) {
      errors.push(invalidForInput('stages', `${stages} stages with the ${stem} stem downsample by ${stride}, more than the ${ctx.resolution}-pixel input`));
    }
    if (errors.length > 0) return errors;
    const perStage = (depth - 2) / (layersPerBlock * stages);
    const spec: ResNetSpec = {
      name,
      family: 'resnet',
      inChannels: ctx.inChannels,
      numClasses: ctx.numClasses,
      nativeResolution: ctx.resolution,
      block,
      stem,
      stemWidth: width,
      depths: Array.from({ length: stages }, () => perStage),
      widths: Array.from({ length: stages }, (_, i) => width * 2 ** i),
      strides: Array.from({ length: stages }, (_, i) => (i === 0 ? 1 : 2)),
      bottleneckStrideOn: '3x3',
    };
    return spec;
  },
};

const CONVNET: Family = {
  args: {
    width: { kind: 'int', min: 1, max: 4096, default: 32, doc: 'channels of the first stage' },
    stages: { kind: 'int', min: 1, max: 8, default: 3, doc: 'stages; a 2×2 pool of stride 2 follows every stage but the last' },
    convs: { kind: 'int', min: 1, max: 8, default: 1, doc: 'conv layers per stage' },
    kernel: { kind: 'int', min: 1, max: 11, default: 3, doc: 'conv kernel size (odd)' },
    growth: { kind: 'number', min: 1, max: 4, default: 2, doc: 'channel multiplier from one stage to the next' },
    max_width: { kind: 'int', min: 1, max: 8192, default: 512, doc: 'upper bound on channels' },
    pool: { kind: 'choice', choices: ['max', 'avg'], default: 'max', doc: 'downsampling pool' },
    norm: { kind: 'choice', choices: ['batch', 'none'], default: 'batch', doc: 'normalisation after each conv' },
    activation: { kind: 'choice', choices: ['relu', 'gelu', 'silu', 'tanh'], default: 'relu', doc: 'activation' },
    hidden: { kind: 'int', min: 0, max: 8192, default: 0, doc: 'width of a hidden layer in the head (0: none)' },
    dropout: { kind: 'number', min: 0, max: 0.9, default: 0, doc: 'dropout before the classifier' },
  },
  build(values, ctx, name) {
    const stages = values.stages as number;
    const kernel = values.kernel as number;
    const errors: FamilyArgumentError[] = [];
    if (kernel % 2 === 0) errors.push(invalid('kernel', `kernel ${kernel} is even; 'same' padding needs an odd kernel`, [`use kernel ${orList([kernel - 1, kernel + 1].filter((k) => k >= 1))}`]));
    const stride = 2 ** (stages - 1);
    if (stride > ctx.resolution) errors.push(invalidForInput('stages', `${stages} stages downsample by ${stride}, more than the ${ctx.resolution}-pixel input`));
    if (errors.length > 0) return errors;
    const pool = values.pool as 'max' | 'avg';
    const layers: ConvLayerSpec[] = [];
    for (let s = 0; s < stages; s++) {
      const channels = Math.min(values.max_width as number, Math.round((values.width as number) * (values.growth as number) ** s));
      for (let c = 0; c < (values.convs as number); c++) {
        const layer: ConvLayerSpec = { channels, kernel, stride: 1, padding: 'same' };
        if (c === (values.convs as number) - 1 && s < stages - 1) layer.pool = { kind: pool, size: 2, stride: 2, padding: 'same' };
        layers.push(layer);
      }
    }
    const norm = values.norm as ConvNetSpec['norm'];
    const hidden = values.hidden as number;
    const spec: ConvNetSpec = {
      name,
      family: 'convnet',
      inChannels: ctx.inChannels,
      numClasses: ctx.numClasses,
      nativeResolution: ctx.resolution,
      layers,
      norm,
      activation: values.activation as Activation,
      convBias: norm === 'none',
      head: { pool: 'avg', hidden: hidden > 0 ? [hidden] : [], dropout: values.dropout as number },
    };
    return spec;
  },
};

function divisors(n: number): number[] {
  const found: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) found.push(d);
  return found;
}

function nearestOf(value: number, candidates: readonly number[]): number[] {
  const below = candidates.filter((c) => c < value).pop();
  const above = candidates.find((c) => c > value);
  return [below, above].filter((c): c is number => c !== undefined);
}

const VIT: Family = {
  args: {
    patch: { kind: 'int', min: 1, max: 64, default: 4, doc: 'patch size in pixels (must divide the resolution)' },
    dim: { kind: 'int', min: 4, max: 4096, default: 128, doc: 'token width' },
    depth: { kind: 'int', min: 1, max: 64, default: 6, doc: 'transformer blocks' },
    heads: { kind: 'int', min: 1, max: 64, default: 4, doc: 'attention heads (must divide dim)' },
    mlp_ratio: { kind: 'number', min: 0.25, max: 16, default: 4, doc: 'MLP hidden width / dim' },
    pool: { kind: 'choice', choices: ['cls', 'mean'], default: 'cls', doc: 'class token, or the mean of the patch tokens' },
  },
  build(values, ctx, name) {
    const patch = values.patch as number;
    const dim = values.dim as number;
    const heads = values.heads as number;
    const errors: FamilyArgumentError[] = [];
    if (dim % heads !== 0) {
      const options = nearestOf(heads, divisors(dim).filter((d) => d <= 64));
      errors.push(invalid('heads', `dim ${dim} is not divisible by ${heads} heads`, options.length ? [`use heads ${orList(options)}`] : []));
    }
    if (ctx.resolution % patch !== 0) {
      const options = nearestOf(patch, divisors(ctx.resolution).filter((d) => d <= 64));
      errors.push(invalidForInput('patch', `patch ${patch} does not divide the data set's resolution ${ctx.resolution}`, options.length ? [`use patch ${orList(options)}`] : []));
    }
    if (errors.length > 0) return errors;
    const hidden = Math.round(dim * (values.mlp_ratio as number));
    if (hidden < 1) return [invalid('mlp_ratio', `mlp_ratio ${values.mlp_ratio} leaves no hidden units at dim ${dim}`)];
    const pool = values.pool as ViTSpec['pool'];
    const spec: ViTSpec = {
      name,
      family: 'vit',
      inChannels: ctx.inChannels,
      numClasses: ctx.numClasses,
      nativeResolution: ctx.resolution,
      patchSize: patch,
      embedDim: dim,
      depth: values.depth as number,
      heads,
      mlpRatio: hidden / dim,
      qkvBias: true,
      classToken: pool === 'cls',
      pool,
    };
    return spec;
  },
};

const FAMILIES: Record<string, Family> = { resnet: RESNET, convnet: CONVNET, vit: VIT };

/** The parametric families a model call may name. */
export const FAMILY_NAMES: readonly string[] = Object.keys(FAMILIES);

/** The arguments a family accepts, with their defaults and ranges, for help texts. */
export function familyArguments(family: string): Array<{ name: string; doc: string; range: string }> | undefined {
  const f = Object.prototype.hasOwnProperty.call(FAMILIES, family) ? FAMILIES[family] : undefined;
  if (!f) return undefined;
  return Object.entries(f.args).map(([name, arg]) => ({
    name,
    doc: arg.doc,
    range: arg.kind === 'choice' ? arg.choices.join(' | ') : `${arg.kind === 'int' ? 'whole number ' : ''}${arg.min}..${arg.max}`,
  }));
}

function checkArgument(name: string, value: ArgValue, arg: ArgSpec): FamilyArgumentError | undefined {
  if (arg.kind === 'choice') {
    if (typeof value !== 'string') return { kind: 'wrong-type', argument: name, message: `\`${name}\` takes one of ${arg.choices.join(', ')}, got ${value}`, help: [] };
    if (!arg.choices.includes(value)) {
      const suggestion = closestName(value, arg.choices);
      return {
        kind: 'out-of-range',
        argument: name,
        message: `\`${name}\` must be one of ${arg.choices.join(', ')}, got \`${value}\``,
        help: suggestion ? [`did you mean \`${suggestion}\`?`] : [],
      };
    }
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return { kind: 'wrong-type', argument: name, message: `\`${name}\` takes a number, got \`${value}\``, help: [] };
  if (arg.kind === 'int' && !Number.isInteger(value)) return { kind: 'wrong-type', argument: name, message: `\`${name}\` takes a whole number, got ${value}`, help: [`use ${orList([Math.floor(value), Math.ceil(value)])}`] };
  if (value < arg.min || value > arg.max) {
    return { kind: 'out-of-range', argument: name, message: `\`${name}\` must be between ${arg.min} and ${arg.max}, got ${value}`, help: [] };
  }
  return undefined;
}

/** The call with the arguments that were given, in the family's order: the model's display name. */
function callName(family: string, f: Family, given: Readonly<Record<string, ArgValue>>): string {
  const written = Object.keys(f.args).filter((name) => Object.prototype.hasOwnProperty.call(given, name));
  return `${family}(${written.map((name) => `${name}: ${given[name]}`).join(', ')})`;
}

/** Builds a family model from a call's arguments, or reports every problem with them. */
export function buildFamilyModel(family: string, args: Readonly<Record<string, ArgValue>>, ctx: FamilyContext): FamilyResult {
  const f = Object.prototype.hasOwnProperty.call(FAMILIES, family) ? FAMILIES[family] : undefined;
  if (!f) {
    const suggestion = closestName(family, FAMILY_NAMES);
    return {
      errors: [{
        kind: 'unknown-family',
        message: `unknown model family \`${family}\`; families are ${FAMILY_NAMES.join(', ')}`,
        help: suggestion ? [`did you mean \`${suggestion}\`?`] : [],
      }],
    };
  }
  const errors: FamilyArgumentError[] = [];
  const known = Object.keys(f.args);
  for (const name of Object.keys(args)) {
    if (known.includes(name)) continue;
    const suggestion = closestName(name, known);
    errors.push({
      kind: 'unknown-argument',
      argument: name,
      message: `\`${family}\` has no argument \`${name}\``,
      help: suggestion ? [`did you mean \`${suggestion}\`?`] : [`its arguments are ${known.join(', ')}`],
    });
  }
  const values: Values = {};
  for (const [name, arg] of Object.entries(f.args)) {
    const given = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    if (given === undefined) {
      values[name] = typeof arg.default === 'function' ? arg.default(ctx) : arg.default;
      continue;
    }
    const problem = checkArgument(name, given, arg);
    if (problem) errors.push(problem);
    else values[name] = given;
  }
  if (errors.length > 0) return { errors };
  const built = f.build(values, ctx, callName(family, f, args));
  return Array.isArray(built) ? { errors: built } : { spec: built };
}

/** Thrown by the typed constructors below when their arguments are invalid. */
export class FamilyArgumentsError extends Error {
  override readonly name = 'FamilyArgumentsError';
  constructor(readonly errors: FamilyArgumentError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

function construct<T extends ModelSpec>(family: string, args: object, ctx: FamilyContext): T {
  const result = buildFamilyModel(family, args as Record<string, ArgValue>, ctx);
  if ('errors' in result) throw new FamilyArgumentsError(result.errors);
  return result.spec as T;
}

/** What a family is built for when no data set is named: 32×32 RGB with 10 classes (CIFAR-10). */
export const DEFAULT_FAMILY_CONTEXT: Readonly<FamilyContext> = { inChannels: 3, numClasses: 10, resolution: 32 };

export interface ResNetArgs {
  depth?: number;
  width?: number;
  stages?: number;
  block?: 'basic' | 'bottleneck';
  stem?: 'cifar' | 'imagenet';
}

export interface ConvNetArgs {
  width?: number;
  stages?: number;
  convs?: number;
  kernel?: number;
  growth?: number;
  max_width?: number;
  pool?: 'max' | 'avg';
  norm?: 'batch' | 'none';
  activation?: Activation;
  hidden?: number;
  dropout?: number;
}

export interface ViTArgs {
  patch?: number;
  dim?: number;
  depth?: number;
  heads?: number;
  mlp_ratio?: number;
  pool?: 'cls' | 'mean';
}

/** A residual network: `resnet({ depth: 20, width: 16 })` is the CIFAR ResNet-20. */
export function resnet(args: ResNetArgs = {}, ctx: FamilyContext = DEFAULT_FAMILY_CONTEXT): ResNetSpec {
  return construct<ResNetSpec>('resnet', args, ctx);
}

/** A plain conv stack of `stages` stages of `convs` convs each, pooled between stages. */
export function convnet(args: ConvNetArgs = {}, ctx: FamilyContext = DEFAULT_FAMILY_CONTEXT): ConvNetSpec {
  return construct<ConvNetSpec>('convnet', args, ctx);
}

/** A small vision transformer. */
export function vit(args: ViTArgs = {}, ctx: FamilyContext = DEFAULT_FAMILY_CONTEXT): ViTSpec {
  return construct<ViTSpec>('vit', args, ctx);
}
