// Builds elaborated experiments in code for the curriculum tests, without parsing sources.
import type { Span } from '../../grammar/ast.js';
import type { BudgetDef, BudgetLimit, CurriculumDecl, CurriculumSettings, ExperimentDef, Located, ModelRef, StageDecl } from '../../compiler/experiment.js';
import type { CostModel } from '../../compiler/curricula/cost-model.js';
import { costModelFor } from '../../compiler/curricula/cost-model.js';
import { lookupModel } from '../../compiler/models/catalogue.js';
import type { ModelSpec } from '../../compiler/models/spec.js';

let offset = 0;
/** A distinct span for each call, so diagnostics can be told apart by where they point. */
export function span(line = 1): Span {
  offset += 10;
  return { file: 'test.eft', offset, length: 5, line, column: 1, endLine: line, endColumn: 6 };
}

export function at<T>(value: T): Located<T> {
  return { value, span: span() };
}

export interface ExperimentOptions {
  model?: string | ModelRef;
  resolution?: number;
  images?: number;
  baselineEpochs?: number;
  batch?: number;
  curriculum?: CurriculumDecl;
  budget?: Partial<BudgetDef>;
}

export function library(name: string, args: Record<string, number | string> = {}, settings: CurriculumSettings = {}, stages: StageDecl[] = []): CurriculumDecl {
  return {
    kind: 'library',
    name: at(name),
    args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, at(v)])),
    settings,
    stages,
    span: span(),
  };
}

export function custom(clock: 'compute' | 'epochs', stages: StageDecl[], settings: CurriculumSettings = {}): CurriculumDecl {
  return { kind: 'custom', clock, settings, stages, span: span() };
}

export function rangeStage(start: number, end: number, settings: StageDecl['settings'] = {}): StageDecl {
  return { selector: { kind: 'range', start, end }, settings, span: span() };
}

export function indexStage(index: number, settings: StageDecl['settings'] = {}): StageDecl {
  return { selector: { kind: 'index', index }, settings, span: span() };
}

export function limit(kind: BudgetLimit['kind'], max: number, profile: string, utilisation = 0.4, devices = 1): BudgetLimit {
  return { kind, max: at(max), hardware: { profile: at(profile), utilisation: at(utilisation), devices: at(devices) }, span: span() };
}

export function experiment(options: ExperimentOptions = {}): ExperimentDef {
  const model: ModelRef = typeof options.model === 'object' ? options.model : { kind: 'catalogue', name: options.model ?? 'resnet50', span: span() };
  const budget: BudgetDef = { tolerance: at(0.02), limits: [], span: span(), ...options.budget };
  return {
    name: 'exp',
    file: 'test.eft',
    span: span(),
    lineage: [],
    model,
    dataset: {
      name: 'imagenet1k',
      format: 'imagenet',
      path: '/data/imagenet',
      resolution: at(options.resolution ?? 224),
      channels: 3,
      classes: at(1000),
      trainImages: at(options.images ?? 1_281_167),
      valImages: 50_000,
      span: span(),
    },
    baseline: { epochs: at(options.baselineEpochs ?? 300), span: span() },
    budget,
    curriculum: options.curriculum ?? { kind: 'none' },
    train: {
      optimizer: at({ name: 'adamw', lr: 4e-3, weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
      schedule: at({ name: 'cosine', warmup: 0.2, minLr: 1e-6 }),
      batch: at(options.batch ?? 4096),
      seed: at(0),
      mixup: 0.8,
      cutmix: 1,
      labelSmoothing: 0.1,
      randomErasing: 0.25,
      crop: { kind: 'none' },
      hflip: 0,
      dropPath: 0.1,
      ema: 0,
      clipGrad: 0,
      evalAtStageResolution: false,
      span: span(),
    },
  };
}

/** The catalogue spec of `name` at the experiment's data set. */
export function specOf(name: string, resolution = 224, classes = 1000, channels = 3): ModelSpec {
  const spec = lookupModel(name, { inChannels: channels, numClasses: classes, resolution });
  if (!spec) throw new Error(`no catalogue model ${name}`);
  return spec;
}

export function realCost(name: string, resolution = 224): CostModel {
  return costModelFor(specOf(name, resolution), resolution);
}

/** A cost exactly proportional to B² plus a constant head: a ConvNet whose strides divide B. */
export function quadraticCost(full: number, forwardAtFull = 1e9, head = 0): CostModel {
  const train = (B: number) => 3 * ((forwardAtFull - head) * (B / full) ** 2 + head);
  return {
    trainingMacsPerImage: train,
    pixelProxyMacsPerImage: (B) => train(full) * (B / full) ** 2,
    checkResolution: () => ({ ok: true }),
  };
}

/** A cost that accepts only multiples of `multiple`. */
export function multipleOnlyCost(full: number, multiple: number): CostModel {
  const base = quadraticCost(full);
  return {
    ...base,
    checkResolution: (B) =>
      B % multiple === 0 ? { ok: true } : { ok: false, reason: `the model needs a multiple of ${multiple}`, nearestValid: [Math.floor(B / multiple) * multiple, Math.ceil(B / multiple) * multiple] },
  };
}
