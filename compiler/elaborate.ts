// From an effective (merged) experiment body to an ExperimentDef: canonical units, defaults,
// spans kept. Runs only on programs that passed the structural rules, so the shapes and
// ranges of values are known to be right here.
import type { BlockNode, CallExpr, EntryNode, Expr, NumberLiteral, Span } from '../grammar/ast.js';
import type {
  BudgetDef,
  BudgetLimit,
  CropDef,
  CurriculumDecl,
  CurriculumSettings,
  DatasetDef,
  DatasetFormat,
  ExperimentDef,
  HardwareDef,
  Located,
  LowPassMethod,
  ModelRef,
  OptimizerDef,
  PerStage,
  ScheduleDef,
  StageDecl,
  StageSettings,
  TrainDef,
} from './experiment.js';
import { CURRICULUM_ARGS, type UnitKind } from './schema.js';
import { canonicalNumber } from './values.js';

/** Defaults the language documents. */
export const DEFAULTS = {
  speedupTolerance: 0.02,
  utilisation: 0.4,
  devices: 1,
  minLr: 1e-6,
  seed: 0,
} as const;

const CHANNELS_BY_FORMAT: Record<DatasetFormat, number> = { idx: 1, cifar10: 3, cifar100: 3, folder: 3, imagenet: 3 };

function entry(block: BlockNode | undefined, key: string): EntryNode | undefined {
  return block?.entries.find((e) => e.key.parts[0].name === key);
}

function entries(block: BlockNode | undefined, key: string): EntryNode[] {
  return block?.entries.filter((e) => e.key.parts[0].name === key) ?? [];
}

function num(expr: Expr | undefined, units: UnitKind = 'count'): number | undefined {
  return expr?.kind === 'Number' ? canonicalNumber(expr, units) : undefined;
}

function located<T>(value: T, span: Span): Located<T> {
  return { value, span };
}

function numberAt(block: BlockNode | undefined, key: string, units: UnitKind = 'count'): Located<number> | undefined {
  const e = entry(block, key);
  const value = num(e?.value, units);
  return e && value !== undefined ? located(value, e.value!.span) : undefined;
}

function identAt(block: BlockNode | undefined, key: string): string | undefined {
  const value = entry(block, key)?.value;
  return value?.kind === 'Identifier' ? value.name : undefined;
}

function argsOf(call: CallExpr): Map<string, Expr> {
  return new Map(call.args.filter((a) => a.name).map((a) => [a.name!.name, a.value]));
}

/** The model an entry names: a catalogue name, or a family call with its named number, name and string arguments. */
export function modelRef(e: EntryNode): ModelRef {
  const v = e.value!;
  if (v.kind === 'Call') {
    const args: Record<string, number | string> = {};
    const argSpans: Record<string, Span> = {};
    for (const arg of v.args) {
      if (!arg.name) continue;
      argSpans[arg.name.name] = arg.span;
      const value = arg.value;
      if (value.kind === 'Number') args[arg.name.name] = value.value;
      else if (value.kind === 'Identifier' || value.kind === 'String') args[arg.name.name] = value.kind === 'String' ? value.value : value.name;
    }
    return { kind: 'family', family: v.callee.name, args, span: v.span, argSpans };
  }
  return { kind: 'catalogue', name: v.kind === 'Identifier' ? v.name : '', span: v.span };
}

function dataset(e: EntryNode): DatasetDef {
  const block = e.block;
  const format = (identAt(block, 'format') ?? 'folder') as DatasetFormat;
  const pathEntry = entry(block, 'path')?.value;
  return {
    name: e.value?.kind === 'Identifier' ? e.value.name : 'dataset',
    format,
    path: pathEntry?.kind === 'String' ? pathEntry.value : '',
    resolution: numberAt(block, 'resolution', 'pixels')!,
    channels: numberAt(block, 'channels')?.value ?? CHANNELS_BY_FORMAT[format],
    classes: numberAt(block, 'classes')!,
    trainImages: numberAt(block, 'images')!,
    valImages: numberAt(block, 'val_images')?.value ?? 0,
    span: e.span,
  };
}

function hardware(budgetBlock: BlockNode | undefined, limit: EntryNode | undefined, fallback: Span): HardwareDef {
  const hw = entry(budgetBlock, 'hardware')?.block;
  const on = limit?.modifiers.find((m) => m.keyword === 'on')?.value;
  const at = limit?.modifiers.find((m) => m.keyword === 'at')?.value;
  const profileEntry = entry(hw, 'profile')?.value;
  const profile =
    on?.kind === 'Identifier' ? located(on.name, on.span) : profileEntry?.kind === 'Identifier' ? located(profileEntry.name, profileEntry.span) : located('a100', fallback);
  const utilisation = at?.kind === 'Number' ? located(canonicalNumber(at, 'fraction'), at.span) : numberAt(hw, 'utilisation', 'fraction') ?? located<number>(DEFAULTS.utilisation, fallback);
  const devices = numberAt(hw, 'devices') ?? located<number>(DEFAULTS.devices, fallback);
  return { profile, utilisation, devices };
}

function budget(e: EntryNode | undefined, fallback: Span): BudgetDef {
  const block = e?.block;
  const span = e?.span ?? fallback;
  const speedupEntry = entry(block, 'speedup');
  const within = speedupEntry?.modifiers.find((m) => m.keyword === 'within')?.value;
  const limits: BudgetLimit[] = [];
  for (const kind of ['device_hours', 'wall_time'] as const) {
    for (const limit of entries(block, kind)) {
      limits.push({ kind, max: located(num(limit.value, 'duration')!, limit.value!.span), hardware: hardware(block, limit, limit.span), span: limit.span });
    }
  }
  return {
    speedup: numberAt(block, 'speedup', 'factor'),
    tolerance: within?.kind === 'Number' ? located(canonicalNumber(within, 'fraction'), within.span) : located<number>(DEFAULTS.speedupTolerance, speedupEntry?.span ?? span),
    equivalentEpochs: numberAt(block, 'equivalent_epochs', 'epochs'),
    limits,
    hardware: entry(block, 'hardware') ? hardware(block, undefined, entry(block, 'hardware')!.span) : undefined,
    loaderThroughput: numberAt(block, 'loader', 'throughput'),
    span,
  };
}

type ResolutionValue = { pixels: number } | { fraction: number };

function resolutionOf(n: NumberLiteral): ResolutionValue {
  return n.unit === '%' ? { fraction: n.value / 100 } : { pixels: n.value };
}

function perStage<T>(expr: Expr, convert: (n: NumberLiteral) => T): PerStage<T> {
  if (expr.kind === 'List') return { kind: 'list', values: expr.items.map((i) => convert(i as NumberLiteral)), span: expr.span };
  if (expr.kind === 'Ramp') return { kind: 'ramp', from: convert(expr.from as NumberLiteral), to: convert(expr.to as NumberLiteral), steps: expr.steps?.value, span: expr.span };
  return { kind: 'constant', value: convert(expr as NumberLiteral), span: expr.span };
}

function lowPassOf(block: BlockNode | undefined): Located<LowPassMethod> | undefined {
  const v = entry(block, 'low_pass')?.value;
  return v?.kind === 'Identifier' ? located(v.name as LowPassMethod, v.span) : undefined;
}

/** The numbers an entry gives by name, from its call's arguments (`replay(r: 2)`) and its block (`replay { r 2 }`). */
function namedNumbers<K extends string>(e: EntryNode, keys: readonly K[]): Partial<Record<K, number>> {
  const args = e.value?.kind === 'Call' ? argsOf(e.value) : new Map<string, Expr>();
  const out: Partial<Record<K, number>> = {};
  for (const key of keys) {
    const value = numberAt(e.block, key)?.value ?? num(args.get(key));
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function stageSettings(block: BlockNode | undefined): StageSettings {
  const settings: StageSettings = {};
  const res = entry(block, 'resolution')?.value;
  if (res?.kind === 'Number') settings.resolution = located(resolutionOf(res), res.span);
  settings.lowPass = lowPassOf(block);
  const ra = entry(block, 'randaugment');
  if (ra) settings.randaugment = located(namedNumbers(ra, ['m', 'n', 'mstd']), ra.span);
  const replay = entry(block, 'replay');
  if (replay) settings.replay = located(namedNumbers(replay, ['r', 'k']), replay.span);
  const split = entry(block, 'batch_split')?.value;
  if (split?.kind === 'Call') {
    const args = argsOf(split);
    settings.batchSplit = located({ perDevice: num(args.get('per_device')) ?? 1, accumulation: num(args.get('accumulation')) ?? 1 }, split.span);
  }
  return settings;
}

function curriculumSettings(block: BlockNode | undefined): CurriculumSettings {
  const settings: CurriculumSettings = {};
  settings.stages = numberAt(block, 'stages');
  const res = entry(block, 'resolution')?.value;
  if (res) settings.resolution = perStage(res, resolutionOf);
  settings.lowPass = lowPassOf(block);
  const ra = entry(block, 'randaugment')?.block;
  const m = entry(ra, 'm')?.value;
  if (m) settings.randaugmentM = perStage(m, (n) => n.value);
  settings.randaugmentN = numberAt(ra, 'n');
  settings.randaugmentMstd = numberAt(ra, 'mstd');
  const replay = entry(block, 'replay')?.block;
  const r = entry(replay, 'r')?.value;
  if (r) settings.replayR = perStage(r, (n) => n.value);
  const k = entry(replay, 'k')?.value;
  if (k) settings.replayK = perStage(k, (n) => n.value);
  return settings;
}

function stages(block: BlockNode | undefined): StageDecl[] {
  return entries(block, 'stage').map((e) => {
    const v = e.value!;
    const selector: StageDecl['selector'] =
      v.kind === 'Range' && v.from.kind === 'Number' && v.to.kind === 'Number'
        ? { kind: 'range', start: canonicalNumber(v.from, v.from.unit === '%' ? 'fraction' : 'epochs'), end: canonicalNumber(v.to, v.to.unit === '%' ? 'fraction' : 'epochs') }
        : { kind: 'index', index: v.kind === 'Number' ? v.value : 0 };
    return { selector, settings: stageSettings(e.block), span: e.span };
  });
}

/** `over` when written, else the unit of the stage bounds (`0ep .. 60ep` is the epoch clock). */
function customClock(block: BlockNode | undefined): 'compute' | 'epochs' {
  const over = identAt(block, 'over');
  if (over) return over === 'epochs' ? 'epochs' : 'compute';
  const range = entries(block, 'stage').map((e) => e.value).find((v) => v?.kind === 'Range');
  return range?.kind === 'Range' && range.from.kind === 'Number' && range.from.unit === 'ep' ? 'epochs' : 'compute';
}

function curriculum(e: EntryNode | undefined): CurriculumDecl {
  if (!e) return { kind: 'none' };
  const v = e.value;
  if (v && (v.kind === 'Identifier' || v.kind === 'Call')) {
    const name = v.kind === 'Identifier' ? located(v.name, v.span) : located(v.callee.name, v.callee.span);
    if (name.value === 'none') return { kind: 'none' };
    const args: Record<string, Located<number | string>> = {};
    if (v.kind === 'Call') {
      for (const arg of v.args) {
        if (!arg.name) continue;
        const spec = CURRICULUM_ARGS[arg.name.name]?.value;
        const a = arg.value;
        if (a.kind === 'Number') args[arg.name.name] = located(canonicalNumber(a, spec?.type === 'number' ? spec.units : 'count'), a.span);
        else if (a.kind === 'Identifier') args[arg.name.name] = located(a.name, a.span);
        else if (a.kind === 'String') args[arg.name.name] = located(a.value, a.span);
      }
    }
    return { kind: 'library', name, args, settings: curriculumSettings(e.block), stages: stages(e.block), span: e.span };
  }
  return { kind: 'custom', clock: customClock(e.block), settings: curriculumSettings(e.block), stages: stages(e.block), span: e.span };
}

function optimizer(e: EntryNode): Located<OptimizerDef> {
  const call = e.value as CallExpr;
  const args = argsOf(call);
  const get = (name: string, fallback: number) => num(args.get(name)) ?? fallback;
  if (call.callee.name === 'sgd') {
    const nesterov = args.get('nesterov');
    return located(
      { name: 'sgd', lr: get('lr', 0.1), momentum: get('momentum', 0.9), weightDecay: get('weight_decay', 0), nesterov: nesterov?.kind === 'Identifier' && nesterov.name === 'true' },
      call.span,
    );
  }
  return located({ name: 'adamw', lr: get('lr', 1e-3), weightDecay: get('weight_decay', 0.05), beta1: get('beta1', 0.9), beta2: get('beta2', 0.999), eps: get('eps', 1e-8) }, call.span);
}

function schedule(e: EntryNode | undefined, fallback: Span): Located<ScheduleDef> {
  const v = e?.value;
  if (!v || (v.kind !== 'Call' && v.kind !== 'Identifier')) return located({ name: 'cosine', warmup: 0, minLr: DEFAULTS.minLr }, fallback);
  const name = (v.kind === 'Call' ? v.callee.name : v.name) as ScheduleDef['name'];
  const args = v.kind === 'Call' ? argsOf(v) : new Map<string, Expr>();
  const warmup = args.get('warmup');
  return located(
    { name, warmup: warmup?.kind === 'Number' ? canonicalNumber(warmup, 'fraction') : 0, minLr: name === 'constant' ? 0 : num(args.get('min_lr')) ?? DEFAULTS.minLr },
    v.span,
  );
}

/** timm's RandomResizedCrop defaults. */
const CROP_DEFAULTS = { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] } as const;

function rangeOf(expr: Expr | undefined, units: UnitKind, fallback: readonly [number, number]): [number, number] {
  if (expr?.kind === 'Range' && expr.from.kind === 'Number' && expr.to.kind === 'Number') return [canonicalNumber(expr.from, units), canonicalNumber(expr.to, units)];
  return [fallback[0], fallback[1]];
}

function crop(e: EntryNode | undefined): CropDef {
  const v = e?.value;
  const name = v?.kind === 'Call' ? v.callee.name : v?.kind === 'Identifier' ? v.name : 'none';
  if (name !== 'random_resized') return { kind: 'none' };
  const args = v?.kind === 'Call' ? argsOf(v) : new Map<string, Expr>();
  return { kind: 'random_resized', scale: rangeOf(args.get('scale'), 'fraction', CROP_DEFAULTS.scale), ratio: rangeOf(args.get('ratio'), 'count', CROP_DEFAULTS.ratio) };
}

function train(e: EntryNode): TrainDef {
  const block = e.block;
  const value = (key: string, units: UnitKind = 'count') => numberAt(block, key, units)?.value ?? 0;
  const evalFlag = entry(block, 'eval_at_stage_resolution')?.value;
  return {
    optimizer: optimizer(entry(block, 'optimizer')!),
    schedule: schedule(entry(block, 'schedule'), e.span),
    batch: numberAt(block, 'batch')!,
    seed: numberAt(block, 'seed') ?? located<number>(DEFAULTS.seed, e.span),
    mixup: value('mixup'),
    cutmix: value('cutmix'),
    labelSmoothing: value('label_smoothing', 'fraction'),
    randomErasing: value('random_erasing', 'fraction'),
    crop: crop(entry(block, 'crop')),
    hflip: value('hflip', 'fraction'),
    dropPath: value('drop_path', 'fraction'),
    ema: value('ema'),
    clipGrad: value('clip_grad'),
    evalAtStageResolution: evalFlag?.kind === 'Identifier' && evalFlag.name === 'true',
    span: e.span,
  };
}

/** The ExperimentDef of a complete, structurally valid effective body. */
export function elaborateExperiment(name: string, file: string, nameSpan: Span, lineage: string[], body: BlockNode): ExperimentDef {
  const baselineEntry = entry(body, 'baseline')!;
  return {
    name,
    file,
    span: nameSpan,
    lineage,
    model: modelRef(entry(body, 'model')!),
    dataset: dataset(entry(body, 'dataset')!),
    baseline: { epochs: numberAt(baselineEntry.block, 'epochs', 'epochs')!, span: baselineEntry.span },
    budget: budget(entry(body, 'budget'), nameSpan),
    curriculum: curriculum(entry(body, 'curriculum')),
    train: train(entry(body, 'train')!),
  };
}
