// What may be written inside each declaration: the keys of every block, the kind of value
// each takes, its units and range. The structural rules check sources against this schema
// and the elaborator reads values through it, so a key exists in exactly one place.
import type { Comparator, DeclKeyword, ModifierKeyword } from '../grammar/ast.js';

/** The unit families numbers can carry. Each maps written units to a canonical value. */
export type UnitKind =
  | 'count' // a plain number: no unit
  | 'epochs' // `300ep` or `300`
  | 'fraction' // `20%` or `0.2`
  | 'factor' // `1.5x` or `1.5`
  | 'pixels' // `224px` or `224`
  | 'resolution' // `224px`, `224` or `50%` (of the full resolution)
  | 'duration' // `400h`, `30min`, `90s`, `2d` → hours
  | 'throughput'; // `5000img/s` or `5000` → images per second

export interface NumberSpec {
  type: 'number';
  units: UnitKind;
  integer?: boolean;
  /** Inclusive bounds, in canonical units (fractions for `%`). */
  min?: number;
  max?: number;
  /** The lower bound is exclusive (a value must be > min). */
  minExclusive?: boolean;
}

export interface ArgSpec {
  value: ValueSpec;
  required?: boolean;
  doc: string;
}

export interface CallSpec {
  args: Record<string, ArgSpec>;
  /** Whether the name may be written without parentheses (`schedule cosine`). */
  bare: boolean;
  doc: string;
}

export type ValueSpec =
  | NumberSpec
  | { type: 'string' }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  /** An identifier naming something resolved elsewhere (an experiment, a model, a profile). */
  | { type: 'name'; of: 'experiment' | 'model' | 'profile' | 'dataset' | 'column' | 'curriculum' }
  | { type: 'call'; callees: Record<string, CallSpec> }
  | { type: 'list'; item: ValueSpec }
  /** One value, a list with one value per stage, or a ramp `a -> b [in N steps]`. */
  | { type: 'per_stage'; item: NumberSpec }
  /** A stage selector: a 1-based stage number or a range `a .. b`. */
  | { type: 'stage_selector' }
  /** A closed interval `a .. b` of numbers (a ≤ b). */
  | { type: 'range'; item: NumberSpec }
  /** Either of several forms (the first that matches the value's shape is used). */
  | { type: 'one_of'; options: readonly ValueSpec[] };

export interface KeySpec {
  doc: string;
  /** The value written after the key, if the key takes one. */
  value?: ValueSpec;
  /** The key's nested block, if it takes one. */
  block?: BlockSpec;
  /** The value may be left out when a block is given (`dataset { ... }`). */
  valueOptional?: boolean;
  required?: boolean;
  /** May appear several times (`stage`). */
  repeatable?: boolean;
  comparators?: readonly Comparator[];
  modifiers?: Partial<Record<ModifierKeyword, ValueSpec>>;
}

export interface BlockSpec {
  keys: Record<string, KeySpec>;
}

const fraction = (min = 0, max = 1): NumberSpec => ({ type: 'number', units: 'fraction', min, max });
const count = (min = 0, max?: number): NumberSpec => ({ type: 'number', units: 'count', integer: true, min, max });
const real = (min = 0, max?: number): NumberSpec => ({ type: 'number', units: 'count', min, max });

export const LOW_PASS_METHODS = ['fft', 'lanczos', 'bilinear', 'area'] as const;
export const DATASET_FORMATS = ['idx', 'cifar10', 'cifar100', 'folder', 'imagenet'] as const;

const RANDAUGMENT_BLOCK: BlockSpec = {
  keys: {
    m: { doc: 'magnitude, 0 to 10 (timm scale)', value: { type: 'per_stage', item: real(0, 10) } },
    n: { doc: 'ops applied per image', value: count(0, 16) },
    mstd: { doc: 'standard deviation of the magnitude noise', value: real(0, 10) },
  },
};

const REPLAY_BLOCK: BlockSpec = {
  keys: {
    r: { doc: 'replay factor: each fresh batch is trained on r times (1 = no replay)', value: { type: 'per_stage', item: count(1, 64) } },
    k: { doc: 'buffer size in loader batches (0 = no buffer)', value: { type: 'per_stage', item: count(0, 1_000_000) } },
  },
};

const RESOLUTION: NumberSpec = { type: 'number', units: 'resolution', min: 0, minExclusive: true, max: 100_000 };

/** `randaugment(m: 4, n: 2)` in a stage: the same settings as the block, as a call. */
function callOf(name: string, block: BlockSpec, usage: string): ValueSpec {
  const args: Record<string, ArgSpec> = {};
  for (const [key, spec] of Object.entries(block.keys)) {
    const value = spec.value?.type === 'per_stage' ? spec.value.item : spec.value;
    if (value) args[key] = { value, doc: spec.doc };
  }
  return { type: 'call', callees: { [name]: { bare: false, doc: usage, args } } };
}

const STAGE_BLOCK: BlockSpec = {
  keys: {
    resolution: { doc: 'input resolution of the stage (pixels, or % of the full resolution)', value: RESOLUTION },
    low_pass: { doc: 'how images are reduced to the stage resolution', value: { type: 'enum', values: LOW_PASS_METHODS } },
    randaugment: {
      doc: 'RandAugment of the stage',
      value: callOf('randaugment', RANDAUGMENT_BLOCK, 'randaugment(m: 4, n: 2, mstd: 0.5)'),
      valueOptional: true,
      block: RANDAUGMENT_BLOCK,
    },
    replay: { doc: 'replay buffer of the stage', value: callOf('replay', REPLAY_BLOCK, 'replay(r: 2, k: 64)'), valueOptional: true, block: REPLAY_BLOCK },
    batch_split: {
      doc: 'per-device batch × gradient accumulation',
      value: {
        type: 'call',
        callees: {
          split: {
            bare: false,
            doc: 'split(per_device: 512, accumulation: 1)',
            args: {
              per_device: { value: count(1), required: true, doc: 'batch per device and step' },
              accumulation: { value: count(1), doc: 'gradient accumulation steps (default 1)' },
            },
          },
        },
      },
    },
  },
};

export const CURRICULUM_ARGS: Record<string, ArgSpec> = {
  family: { value: { type: 'enum', values: ['default', 'deit', 'convnext'] }, doc: 'resolution list of EfficientTrain++' },
  equivalent_epochs: { value: { type: 'number', units: 'epochs', min: 0, minExclusive: true, max: 1e6 }, doc: 'budget in equivalent epochs' },
  speedup: { value: { type: 'number', units: 'factor', min: 0, minExclusive: true, max: 1000 }, doc: 'budget as a speedup over the baseline' },
  initial_scale: { value: fraction(0, 1), doc: 'linear_ramp: starting scale of the resolution' },
  delay_fraction: { value: fraction(0, 1), doc: 'linear_ramp: share of training at the initial scale' },
  finetune_fraction: { value: fraction(0, 1), doc: 'linear_ramp: share of training at full resolution at the end' },
  size_increment: { value: { type: 'number', units: 'pixels', integer: true, min: 1, max: 10_000 }, doc: 'linear_ramp: resolutions are multiples of this' },
  start_ramp: { value: { type: 'number', units: 'epochs', min: 0, max: 1e6 }, doc: 'ffcv_ramp: epoch where the ramp starts' },
  end_ramp: { value: { type: 'number', units: 'epochs', min: 0, max: 1e6 }, doc: 'ffcv_ramp: epoch where the ramp ends' },
  min_res: { value: { type: 'number', units: 'pixels', integer: true, min: 1, max: 100_000 }, doc: 'ffcv_ramp: first resolution' },
  max_res: { value: { type: 'number', units: 'pixels', integer: true, min: 1, max: 100_000 }, doc: 'ffcv_ramp: last resolution' },
  step: { value: { type: 'number', units: 'pixels', integer: true, min: 1, max: 10_000 }, doc: 'ffcv_ramp: resolution step' },
  epochs: { value: { type: 'number', units: 'epochs', min: 0, minExclusive: true, max: 1e6 }, doc: 'run length in epochs (efficienttrain, linear_ramp, ffcv_ramp)' },
};

const CURRICULUM_BLOCK: BlockSpec = {
  keys: {
    over: { doc: 'the clock stages are declared on', value: { type: 'enum', values: ['compute', 'epochs'] } },
    stages: { doc: 'number of equal-compute stages', value: count(1, 1000) },
    resolution: { doc: 'resolution per stage: one value, a list or a ramp', value: { type: 'per_stage', item: RESOLUTION } },
    low_pass: STAGE_BLOCK.keys.low_pass,
    randaugment: STAGE_BLOCK.keys.randaugment,
    replay: STAGE_BLOCK.keys.replay,
    stage: {
      doc: 'one stage: `stage 3 { ... }` overrides stage 3, `stage 0% .. 10% { ... }` declares one',
      value: { type: 'stage_selector' },
      block: STAGE_BLOCK,
      repeatable: true,
    },
  },
};

const PROFILE: ValueSpec = { type: 'name', of: 'profile' };

const HARDWARE_BLOCK: BlockSpec = {
  keys: {
    profile: { doc: 'built-in hardware profile (v100, a100, h100, rtx3090)', value: PROFILE, required: true },
    devices: { doc: 'number of devices', value: count(1, 1_000_000) },
    utilisation: { doc: 'fraction of peak throughput assumed', value: { ...fraction(0, 1), minExclusive: true } },
  },
};

const LIMIT_MODIFIERS = { on: PROFILE, at: { ...fraction(0, 1), minExclusive: true } } as const;

const BUDGET_BLOCK: BlockSpec = {
  keys: {
    speedup: {
      doc: 'declared speedup over the baseline',
      value: { type: 'number', units: 'factor', min: 0, minExclusive: true, max: 1000 },
      modifiers: { within: fraction(0, 1) },
    },
    equivalent_epochs: { doc: 'epochs at full resolution that cost the same', value: { type: 'number', units: 'epochs', min: 0, minExclusive: true, max: 1e6 } },
    device_hours: {
      doc: 'limit on device-hours',
      value: { type: 'number', units: 'duration', min: 0, minExclusive: true, max: 1e9 },
      comparators: ['<=', '<'],
      modifiers: LIMIT_MODIFIERS,
    },
    wall_time: {
      doc: 'limit on wall-clock time',
      value: { type: 'number', units: 'duration', min: 0, minExclusive: true, max: 1e9 },
      comparators: ['<=', '<'],
      modifiers: LIMIT_MODIFIERS,
    },
    hardware: { doc: 'the hardware the limits assume', block: HARDWARE_BLOCK },
    loader: { doc: 'data-loader throughput per device', value: { type: 'number', units: 'throughput', min: 0, minExclusive: true, max: 1e9 } },
  },
};

const OPTIMIZER: ValueSpec = {
  type: 'call',
  callees: {
    adamw: {
      bare: false,
      doc: 'adamw(lr: 4e-3, weight_decay: 0.05)',
      args: {
        lr: { value: real(0, 10), required: true, doc: 'peak learning rate' },
        weight_decay: { value: real(0, 10), doc: 'decoupled weight decay (default 0.05)' },
        beta1: { value: real(0, 1), doc: 'default 0.9' },
        beta2: { value: real(0, 1), doc: 'default 0.999' },
        eps: { value: real(0, 1), doc: 'default 1e-8' },
      },
    },
    sgd: {
      bare: false,
      doc: 'sgd(lr: 0.1, momentum: 0.9, weight_decay: 1e-4)',
      args: {
        lr: { value: real(0, 100), required: true, doc: 'peak learning rate' },
        momentum: { value: real(0, 1), doc: 'default 0.9' },
        weight_decay: { value: real(0, 10), doc: 'default 0' },
        nesterov: { value: { type: 'bool' }, doc: 'default false' },
      },
    },
  },
};

const scheduleArgs = (): Record<string, ArgSpec> => ({
  warmup: { value: fraction(0, 1), doc: 'warm-up as a share of the total compute (default 0)' },
  min_lr: { value: real(0, 100), doc: 'final learning rate (default 1e-6)' },
});

const SCHEDULE: ValueSpec = {
  type: 'call',
  callees: {
    cosine: { bare: true, doc: 'cosine(warmup: 20%, min_lr: 1e-6)', args: scheduleArgs() },
    linear: { bare: true, doc: 'linear(warmup: 5%, min_lr: 0)', args: scheduleArgs() },
    constant: { bare: true, doc: 'constant(warmup: 0%)', args: { warmup: scheduleArgs().warmup } },
  },
};

/** The spatial crop of each training image, at full resolution, before the low-pass. */
const CROP: ValueSpec = {
  type: 'call',
  callees: {
    none: { bare: true, doc: 'none', args: {} },
    random_resized: {
      bare: true,
      doc: 'random_resized(scale: 8% .. 100%, ratio: 0.75 .. 1.333)',
      args: {
        scale: { value: { type: 'range', item: { ...fraction(0, 1), minExclusive: true } }, doc: "range of the crop's area as a share of the image (default 8% .. 100%)" },
        ratio: { value: { type: 'range', item: { ...real(0, 100), minExclusive: true } }, doc: "range of the crop's aspect ratio, width / height, drawn log-uniformly (default 0.75 .. 1.333)" },
      },
    },
  },
};

const TRAIN_BLOCK: BlockSpec = {
  keys: {
    optimizer: { doc: 'optimizer and its hyper-parameters', value: OPTIMIZER, required: true },
    schedule: { doc: 'learning-rate schedule on the compute clock', value: SCHEDULE },
    batch: { doc: 'global batch size', value: count(1, 10_000_000), required: true },
    seed: { doc: 'random seed', value: count(0, 2 ** 31 - 1) },
    mixup: { doc: 'mixup alpha (0 = off)', value: real(0, 100) },
    cutmix: { doc: 'cutmix alpha (0 = off)', value: real(0, 100) },
    label_smoothing: { doc: 'label smoothing', value: fraction(0, 1) },
    random_erasing: { doc: 'random erasing probability', value: fraction(0, 1) },
    crop: { doc: 'crop of each training image before the low-pass: `none` (the default) or `random_resized(...)` (timm)', value: CROP },
    hflip: { doc: 'probability of a horizontal flip of each training image (default 0)', value: fraction(0, 1) },
    drop_path: { doc: 'stochastic depth rate', value: fraction(0, 1) },
    ema: { doc: 'EMA decay of the weights (0 = off)', value: real(0, 1) },
    clip_grad: { doc: 'gradient-norm clipping threshold (0 = off)', value: real(0, 1e6) },
    eval_at_stage_resolution: { doc: 'also evaluate at the stage resolution', value: { type: 'bool' } },
  },
};

const DATASET_BLOCK: BlockSpec = {
  keys: {
    format: { doc: 'file format', value: { type: 'enum', values: DATASET_FORMATS }, required: true },
    path: { doc: 'where the files are', value: { type: 'string' }, required: true },
    resolution: { doc: 'full training resolution', value: { type: 'number', units: 'pixels', integer: true, min: 1, max: 100_000 }, required: true },
    channels: { doc: 'colour channels (default 1 for idx, 3 otherwise)', value: count(1, 64) },
    classes: { doc: 'number of classes', value: count(2, 10_000_000), required: true },
    images: { doc: 'training images per epoch', value: count(1, 1e12), required: true },
    val_images: { doc: 'validation images', value: count(0, 1e12) },
  },
};

const MODEL_VALUE: ValueSpec = { type: 'one_of', options: [{ type: 'name', of: 'model' }, { type: 'call', callees: {} }] };

export const EXPERIMENT_BLOCK: BlockSpec = {
  keys: {
    model: { doc: 'a catalogue model, or a family with arguments', value: MODEL_VALUE, required: true },
    dataset: { doc: 'the training data', value: { type: 'name', of: 'dataset' }, valueOptional: true, block: DATASET_BLOCK, required: true },
    baseline: {
      doc: 'the full-resolution recipe that defines 1.0×',
      block: { keys: { epochs: { doc: 'epochs at full resolution', value: { type: 'number', units: 'epochs', min: 0, minExclusive: true, max: 1e6 }, required: true } } },
      required: true,
    },
    budget: { doc: 'declared speedup and resource limits', block: BUDGET_BLOCK },
    curriculum: {
      doc: 'a library curriculum (with arguments) or one written out',
      value: { type: 'one_of', options: [{ type: 'name', of: 'curriculum' }, { type: 'call', callees: {} }] },
      valueOptional: true,
      block: CURRICULUM_BLOCK,
    },
    train: { doc: 'the training recipe', block: TRAIN_BLOCK, required: true },
  },
};

export const SWEEP_BLOCK: BlockSpec = {
  keys: {
    ...EXPERIMENT_BLOCK.keys,
    vary: { doc: 'the axes of the sweep: `key [value, ...]` each', block: { keys: {} } },
  },
};

export const TABLE_BLOCK: BlockSpec = {
  keys: {
    template: { doc: 'the table template', value: { type: 'string' }, required: true },
    title: { doc: 'the caption', value: { type: 'string' } },
    rows: { doc: 'experiments or sweeps, one row each (a sweep gives one row per point)', value: { type: 'list', item: { type: 'name', of: 'experiment' } }, required: true },
    columns: { doc: 'the columns', value: { type: 'list', item: { type: 'name', of: 'column' } } },
  },
};

export const TABLE_COLUMNS = ['model', 'dataset', 'curriculum', 'epochs', 'equivalent_epochs', 'speedup', 'speedup_pixel_proxy', 'top1', 'top1_sd', 'wall_time', 'measured_speedup', 'seeds', 'gmacs'] as const;

/** The schema of a declaration's body by its keyword. */
export function declarationSchema(keyword: DeclKeyword): BlockSpec {
  return keyword === 'experiment' || keyword === 'template' ? EXPERIMENT_BLOCK : keyword === 'sweep' ? SWEEP_BLOCK : TABLE_BLOCK;
}

/** Looks up the spec of a dotted key path inside a block; undefined when a part is unknown. */
export function lookupKey(block: BlockSpec, parts: readonly string[]): KeySpec | undefined {
  let current: BlockSpec | undefined = block;
  let spec: KeySpec | undefined;
  for (const part of parts) {
    if (!current) return undefined;
    spec = Object.prototype.hasOwnProperty.call(current.keys, part) ? current.keys[part] : undefined;
    if (!spec) return undefined;
    current = spec.block;
  }
  return spec;
}
