// Experiment contexts built by hand, as the compiler's front half would produce them: a DeiT-S
// run with the EfficientTrain++ DeiT curriculum (10 stages of 10% compute each, 200 equivalent
// epochs). Stage figures follow the costing conventions (trained images rounded, fresh images
// = ceil(trained / r), steps = ceil(trained / batch), compute = trained × MACs per image), so
// totals and shares are consistent.
import type { Span } from '../../grammar/ast.js';
import type { ExperimentDef, Located } from '../../compiler/experiment.js';
import type { ViTSpec } from '../../compiler/models/spec.js';
import type { ExperimentContext } from '../../compiler/rules/rule.js';
import type { CostedStage, Schedule } from '../../compiler/schedule.js';

export const SPAN: Span = { file: 'examples/deit.eft', offset: 0, length: 1, line: 1, column: 1, endLine: 1, endColumn: 2 };

function at<T>(value: T): Located<T> {
  return { value, span: SPAN };
}

export const DEIT_SMALL_SPEC: ViTSpec = {
  family: 'vit',
  name: 'deit_small',
  inChannels: 3,
  numClasses: 1000,
  nativeResolution: 224,
  patchSize: 16,
  embedDim: 384,
  depth: 12,
  heads: 6,
  mlpRatio: 4,
  qkvBias: true,
  classToken: true,
  pool: 'cls',
};

/** Training MACs per image of a ViT at resolution b: 3 × (blocks + patch embedding + head). */
function vitTrainingMacs(b: number): number {
  const n = (b / 16) ** 2 + 1;
  const d = 384;
  const blocks = 12 * (12 * n * d * d + 2 * n * n * d);
  const embed = (b / 16) ** 2 * 16 * 16 * 3 * d;
  return 3 * (blocks + embed + d * 1000);
}

export interface StageInput {
  resolution: number;
  m: number;
  r?: number;
  k?: number;
}

export function buildSchedule(inputs: StageInput[], options: { images: number; baselineEpochs: number; equivalentEpochs: number; batch: number; full: number; macs: (b: number) => number }): Schedule {
  const fullMacs = options.macs(options.full);
  const target = options.equivalentEpochs * options.images * fullMacs;
  const stages: CostedStage[] = inputs.map((input, i) => {
    const macsPerImage = options.macs(input.resolution);
    const trained = Math.round(target / inputs.length / macsPerImage);
    const images = Math.ceil(trained / (input.r ?? 1));
    return {
      index: i + 1,
      computeStart: i / inputs.length,
      computeEnd: (i + 1) / inputs.length,
      resolution: input.resolution,
      lowPass: input.resolution === options.full ? 'none' : 'fft',
      randaugment: { m: input.m, n: 2, mstd: 0.5 },
      replay: { r: input.r ?? 1, k: input.k ?? 0 },
      batchSplit: { perDevice: options.batch / 8, accumulation: 1 },
      epochs: images / options.images,
      images,
      trainedImages: trained,
      steps: Math.ceil(trained / options.batch),
      macsPerImage,
      macsPerImagePixelProxy: fullMacs * (input.resolution / options.full) ** 2,
      compute: trained * macsPerImage,
      share: 0,
      declaredShare: 1 / inputs.length,
      span: SPAN,
    };
  });
  const compute = stages.reduce((a, s) => a + s.compute, 0);
  for (const s of stages) s.share = s.compute / compute;
  const proxy = stages.reduce((a, s) => a + s.trainedImages * s.macsPerImagePixelProxy, 0);
  const baselineCompute = options.baselineEpochs * options.images * fullMacs;
  return {
    curriculum: 'efficienttrain_pp',
    clock: 'compute',
    stages,
    totals: {
      compute,
      baselineCompute,
      speedup: baselineCompute / compute,
      speedupPixelProxy: baselineCompute / proxy,
      equivalentEpochs: (options.baselineEpochs * compute) / baselineCompute,
      images: stages.reduce((a, s) => a + s.images, 0),
      steps: stages.reduce((a, s) => a + s.steps, 0),
    },
  };
}

export const DEIT_RESOLUTIONS = [96, 96, 160, 160, 160, 160, 192, 192, 224, 224];

export function deitExperiment(overrides: Partial<ExperimentDef> = {}): ExperimentDef {
  return {
    name: 'deit_s_etpp',
    file: 'examples/deit.eft',
    span: SPAN,
    lineage: [],
    model: { kind: 'catalogue', name: 'deit_small', span: SPAN },
    dataset: {
      name: 'imagenet1k',
      format: 'imagenet',
      path: '/data/imagenet',
      resolution: at(224),
      channels: 3,
      classes: at(1000),
      trainImages: at(1281167),
      valImages: 50000,
      span: SPAN,
    },
    baseline: { epochs: at(300), span: SPAN },
    budget: {
      speedup: at(1.5),
      tolerance: at(0.02),
      limits: [{ kind: 'device_hours', max: at(400), hardware: { profile: at('a100'), utilisation: at(0.4), devices: at(8) }, span: SPAN }],
      span: SPAN,
    },
    curriculum: { kind: 'library', name: at('efficienttrain_pp'), args: { family: at('deit') }, settings: {}, stages: [], span: SPAN },
    train: {
      optimizer: at({ name: 'adamw', lr: 4e-3, weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
      schedule: at({ name: 'cosine', warmup: 0.2, minLr: 1e-6 }),
      batch: at(4096),
      seed: at(0),
      mixup: 0.8,
      cutmix: 1,
      labelSmoothing: 0.1,
      randomErasing: 0.25,
      crop: { kind: 'random_resized', scale: [0.08, 1], ratio: [0.75, 4 / 3] },
      hflip: 0.5,
      dropPath: 0.1,
      ema: 0,
      clipGrad: 5,
      evalAtStageResolution: true,
      span: SPAN,
    },
    ...overrides,
  };
}

export function deitContext(options: { resolutions?: number[]; equivalentEpochs?: number; experiment?: Partial<ExperimentDef> } = {}): ExperimentContext {
  const resolutions = options.resolutions ?? DEIT_RESOLUTIONS;
  const inputs = resolutions.map((resolution, i) => ({ resolution, m: Math.min(9, i), r: i < 2 ? 4 : i < 6 ? 2 : 1, k: i < 6 ? 256 : 0 }));
  const schedule = buildSchedule(inputs, { images: 1281167, baselineEpochs: 300, equivalentEpochs: options.equivalentEpochs ?? 200, batch: 4096, full: 224, macs: vitTrainingMacs });
  return { experiment: deitExperiment(options.experiment), spec: DEIT_SMALL_SPEC, schedule };
}

export const META = { compilerVersion: '0.1.0', sourceFile: 'examples/deit.eft', sourceHash: 'a'.repeat(64) };
