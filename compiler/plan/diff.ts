// What differs between two plans, in the words a researcher uses: `stage 3: resolution 160 →
// 192`, `speedup 1.50x → 1.46x`, `optimizer.lr 0.004 → 0.002`, `model: deit_small →
// deit_tiny`. Settings that differ are always shown (with full precision when the rounded
// forms agree); derived figures (epochs, images, MACs, shares) only when they differ at the
// precision they are printed with. Values that merely mirror others (the hash, the RandAugment
// schedule, the timm string, evaluation resolutions) are not repeated.
import type { Plan, PlanStage } from '../../plan/types.js';
import { formatCount, formatEpochs, formatMacs, formatPercent, formatSpeedup } from '../curricula/format.js';

type Format = (value: unknown) => string;

interface FieldRule {
  label: string;
  format: Format;
  /** Derived from other fields: skipped when it reads the same at its printed precision. */
  derived?: boolean;
}

const plain: Format = (v) => {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.map((x) => plain(x)).join(', ')}]`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const num = (f: (n: number) => string): Format => (v) => (typeof v === 'number' ? f(v) : plain(v));
const percent = num((n) => formatPercent(n));
const speedup = num(formatSpeedup);
const epochs = num(formatEpochs);
const count = num(formatCount);
const macs = num(formatMacs);
const hashPrefix: Format = (v) => `${String(v).slice(0, 12)}…`;

/** Rules for paths outside the stages, by dotted path; `null` hides a path that mirrors another. */
const FIELD_RULES: Record<string, FieldRule | null> = {
  plan_sha256: null,
  plan_version: null,
  'schedules.lr.base_lr': null,
  'evaluation.resolution_px': null,
  compiler_version: { label: 'compiler version', format: plain },
  'source.file': { label: 'source', format: plain },
  'source.sha256': { label: 'source sha256', format: hashPrefix },
  'experiment.name': { label: 'experiment:', format: plain },
  'experiment.lineage': { label: 'extends', format: (v) => ((v as string[]).length === 0 ? 'nothing' : (v as string[]).join(', ')) },
  'model.name': { label: 'model:', format: plain },
  'baseline.epochs': { label: 'baseline epochs', format: plain },
  'budget.speedup': { label: 'declared speedup', format: speedup },
  'budget.speedup_tolerance_fraction': { label: 'declared speedup tolerance', format: percent },
  'budget.equivalent_epochs': { label: 'declared equivalent epochs', format: plain },
  'curriculum.name': { label: 'curriculum:', format: plain },
  'curriculum.clock': { label: 'curriculum clock:', format: plain },
  'recipe.optimizer.name': { label: 'optimizer:', format: plain },
  'schedules.lr.shape': { label: 'lr schedule:', format: plain },
  'schedules.lr.min_lr': { label: 'min lr', format: plain },
  'schedules.lr.warmup_fraction': { label: 'warm-up', format: percent },
  'schedules.lr.warmup_start_lr': { label: 'warm-up start lr', format: plain },
  'evaluation.at_stage_resolution': { label: 'evaluate at stage resolution:', format: plain },
  'totals.speedup': { label: 'speedup', format: speedup, derived: true },
  'totals.speedup_pixel_proxy': { label: 'speedup (pixel proxy)', format: speedup, derived: true },
  'totals.equivalent_epochs': { label: 'equivalent epochs', format: epochs, derived: true },
  'totals.compute_macs': { label: 'compute', format: macs, derived: true },
  'totals.baseline_compute_macs': { label: 'baseline compute', format: macs, derived: true },
  'totals.images': { label: 'images', format: count, derived: true },
  'totals.steps': { label: 'steps', format: count, derived: true },
};

/** Sections in the order differences are told. */
const SECTIONS = ['experiment', 'source', 'compiler_version', 'model', 'dataset', 'baseline', 'budget', 'curriculum', 'recipe', 'schedules', 'evaluation'];

/** Dotted paths of leaves; arrays of plain values count as one leaf. */
function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  const isLeafArray = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
  if (value !== null && typeof value === 'object' && !isLeafArray) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, v] of entries) flatten(v, path ? `${path}.${key}` : key, out);
    if (entries.length === 0) out.set(path, value);
    return;
  }
  out.set(path, value);
}

function sweepText(plan: Plan): string {
  const sweep = plan.experiment.sweep;
  return sweep ? `${sweep.name}[${sweep.point.map((p) => `${p.axis}=${p.value}`).join(', ')}]` : 'none';
}

function change(label: string, format: Format, a: unknown, b: unknown, derived: boolean, precise: boolean): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  let fa = format(a);
  let fb = format(b);
  if (fa === fb) {
    if (derived && !precise) return undefined;
    fa = plain(a);
    fb = plain(b);
  }
  return `${label} ${fa} → ${fb}`;
}

function labelFor(path: string, a: Plan, b: Plan): FieldRule | null {
  // Two points of sweeps: the sweep point line names both.
  if (path === 'experiment.name' && a.experiment.sweep && b.experiment.sweep) return null;
  if (path in FIELD_RULES) return FIELD_RULES[path];
  if (path.startsWith('schedules.randaugment_m')) return null;
  if (path.startsWith('experiment.sweep')) return null;
  if (path.startsWith('model.ref.')) return a.model.name === b.model.name ? { label: path, format: plain } : null;
  if (path.startsWith('model.spec.')) return a.model.name === b.model.name ? { label: path, format: plain } : null;
  if (path.startsWith('recipe.optimizer.')) {
    // After a change of optimizer only the hyper-parameters both have are compared.
    const key = path.slice('recipe.optimizer.'.length);
    return key in a.recipe.optimizer && key in b.recipe.optimizer ? { label: `optimizer.${key}`, format: plain } : null;
  }
  if (path.startsWith('recipe.')) return { label: path.slice('recipe.'.length), format: plain };
  return { label: path, format: plain };
}

function sectionLines(a: Plan, b: Plan, precise: boolean): string[] {
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const fa = new Map<string, unknown>();
    const fb = new Map<string, unknown>();
    flatten((a as unknown as Record<string, unknown>)[section], section, fa);
    flatten((b as unknown as Record<string, unknown>)[section], section, fb);
    // A section's name first (`model: a → b` before the model's parameters), then by path.
    const rank = (p: string) => (p.endsWith('.name') ? 0 : 1);
    const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
    for (const path of paths) {
      const rule = labelFor(path, a, b);
      if (!rule) continue;
      const line = change(rule.label, rule.format, fa.get(path), fb.get(path), rule.derived ?? false, precise);
      if (line) lines.push(line);
    }
    if (section === 'experiment') {
      const sweepLine = change('sweep point', plain, sweepText(a), sweepText(b), false, precise);
      if (sweepLine) lines.push(sweepLine);
    }
  }
  return lines;
}

function range(stage: PlanStage): string {
  return `${formatPercent(stage.compute_start_fraction)}–${formatPercent(stage.compute_end_fraction)}`;
}

interface StageRule {
  label: string;
  value: (s: PlanStage) => unknown;
  format: Format;
  derived?: boolean;
  /** Not worth saying for this pair of stages. */
  skip?: (a: PlanStage, b: PlanStage) => boolean;
}

const STAGE_RULES: StageRule[] = [
  // The range follows from the costed shares; the declared share is what was asked for.
  {
    label: 'compute range',
    value: (s) => [s.compute_start_fraction, s.compute_end_fraction],
    format: (v) => `${formatPercent((v as number[])[0])}–${formatPercent((v as number[])[1])}`,
    derived: true,
  },
  { label: 'declared share', value: (s) => s.declared_share, format: percent },
  { label: 'resolution', value: (s) => s.resolution_px, format: plain },
  {
    label: 'requested resolution',
    value: (s) => s.resolution_requested_px,
    format: plain,
    skip: (a, b) => a.resolution_rounding_reason === null && b.resolution_rounding_reason === null,
  },
  { label: 'resolution rounding:', value: (s) => s.resolution_rounding_reason, format: plain },
  { label: 'low-pass', value: (s) => s.low_pass, format: plain },
  { label: 'RandAugment m', value: (s) => s.randaugment.m, format: plain },
  { label: 'RandAugment n', value: (s) => s.randaugment.n, format: plain },
  { label: 'RandAugment mstd', value: (s) => s.randaugment.mstd, format: plain },
  { label: 'replay r', value: (s) => s.replay.r, format: plain },
  { label: 'replay K', value: (s) => s.replay.k_batches, format: plain },
  { label: 'batch split', value: (s) => [s.batch_split.per_device, s.batch_split.accumulation], format: (v) => `${(v as number[])[0]}×${(v as number[])[1]}` },
  { label: 'epochs', value: (s) => s.epochs, format: epochs, derived: true },
  { label: 'images', value: (s) => s.images, format: count, derived: true },
  {
    label: 'trained images',
    value: (s) => s.trained_images,
    format: count,
    derived: true,
    skip: (a, b) => a.trained_images === a.images && b.trained_images === b.images,
  },
  { label: 'steps', value: (s) => s.steps, format: count, derived: true },
  { label: 'MACs per image', value: (s) => s.macs_per_image, format: macs, derived: true },
  { label: 'compute', value: (s) => s.compute_macs, format: macs, derived: true },
  { label: 'share', value: (s) => s.share, format: percent, derived: true },
];

function stageSummary(s: PlanStage): string {
  return `${range(s)} of compute at ${s.resolution_px}px, RandAugment m ${s.randaugment.m}, ${formatEpochs(s.epochs)} epochs`;
}

function stageLines(a: Plan, b: Plan, precise: boolean): string[] {
  const lines: string[] = [];
  const n = Math.max(a.stages.length, b.stages.length);
  for (let i = 0; i < n; i++) {
    const sa = a.stages[i];
    const sb = b.stages[i];
    if (!sa) {
      lines.push(`stage ${sb.index} added: ${stageSummary(sb)}`);
      continue;
    }
    if (!sb) {
      lines.push(`stage ${sa.index} removed (was ${stageSummary(sa)})`);
      continue;
    }
    const derived: string[] = [];
    for (const rule of STAGE_RULES) {
      if (rule.skip?.(sa, sb)) continue;
      const line = change(rule.label, rule.format, rule.value(sa), rule.value(sb), rule.derived ?? false, precise);
      if (line && rule.derived) derived.push(line);
      else if (line) lines.push(`stage ${sb.index}: ${line}`);
    }
    // What follows from the settings reads best as one line per stage.
    if (derived.length > 0) lines.push(`stage ${sb.index}: ${derived.join(', ')}`);
  }
  return lines;
}

const TOTALS_ORDER: (keyof Plan['totals'])[] = ['speedup', 'speedup_pixel_proxy', 'equivalent_epochs', 'compute_macs', 'baseline_compute_macs', 'images', 'steps'];

function totalLines(a: Plan, b: Plan, precise: boolean): string[] {
  const lines: string[] = [];
  for (const key of TOTALS_ORDER) {
    const rule = FIELD_RULES[`totals.${key}`];
    const line = rule && change(rule.label, rule.format, a.totals[key], b.totals[key], rule.derived ?? false, precise);
    if (line) lines.push(line);
  }
  return lines;
}

/** The differences from plan `a` to plan `b`, one per line; empty when their contents are the same. */
export function diffPlans(a: Plan, b: Plan): string[] {
  if (a.plan_sha256 === b.plan_sha256) return [];
  const tell = (precise: boolean) => [...sectionLines(a, b, precise), ...stageLines(a, b, precise), ...totalLines(a, b, precise)];
  const lines = tell(false);
  // Plans whose only differences are below printed precision still differ: say so exactly.
  return lines.length > 0 ? lines : tell(true);
}
