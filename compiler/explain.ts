// `eft explain`: what an experiment's curriculum will do, stage by stage, and what it costs.
// Text for people (a table of stages, then the totals) and JSON for machines, from the costed
// schedule; for EfficientTrain++ at 224px also how the official launch scripts would run the
// same budget, since their numbers are what users compare with.
import type { ExperimentDef } from './experiment.js';
import { deviceHours, findProfile } from './hardware.js';
import { planCurriculum } from './curricula/plan.js';
import type { CurriculumPlan } from './curricula/plan-types.js';
import { officialScriptStages, type OfficialRealisation } from './curricula/official-scripts.js';
import { formatCount, formatEpochs, formatHours, formatPercent, formatPercentFixed, formatSpeedup, trimZeros } from './curricula/format.js';
import { renderTable, type Column } from './curricula/table.js';
import { renderStageTable, renderTotalRows, runTotalRows, stageRowFromCosted } from './stage-table.js';
import type { ExperimentContext } from './rules/rule.js';
import type { CostedStage, Schedule } from './schedule.js';

export interface ExplainResult {
  text: string;
  json: ExplainJson;
}

export interface ExplainStageJson {
  index: number;
  compute_start: number;
  compute_end: number;
  /** Epoch-clock curricula: the stage's declared epochs. */
  epochs_start?: number;
  epochs_end?: number;
  resolution: number;
  requested_resolution: number;
  rounding: { requested: number; chosen: number; reason: string } | null;
  low_pass: string;
  randaugment: { m: number; n: number; mstd: number };
  replay: { r: number; k: number };
  batch_split: { per_device: number; accumulation: number };
  epochs: number;
  images: number;
  steps: number;
  training_macs_per_image: number;
  pixel_proxy_macs_per_image: number;
  compute_macs: number;
  share: number;
  declared_share: number;
}

export interface ExplainHardwareJson {
  limit: 'device_hours' | 'wall_time';
  profile: string;
  utilisation: number;
  devices: number;
  device_hours: number;
  wall_hours: number;
  limit_hours: number;
}

export interface ExplainJson {
  name: string;
  file: string;
  sweep: { name: string; point: Record<string, string | number> } | null;
  /** Catalogue name, or the family of a parametric model. */
  model: string;
  model_family: string;
  dataset: { name: string; resolution: number; images: number };
  curriculum: string;
  efficienttrain_pp_family: string | null;
  clock: 'compute' | 'epochs';
  budget_source: string;
  baseline_epochs: number;
  batch: number;
  speedup: number;
  speedup_pixel_proxy: number;
  equivalent_epochs: number;
  compute_macs: number;
  baseline_compute_macs: number;
  images: number;
  steps: number;
  hardware: ExplainHardwareJson[];
  stages: ExplainStageJson[];
  official_scripts: OfficialRealisation | null;
}

function modelName(exp: ExperimentDef): string {
  return exp.model.kind === 'catalogue' ? exp.model.name : exp.model.family;
}

/** Resolutions the official scripts have a scale ratio for. */
const SCRIPT_RESOLUTIONS = new Set([64, 96, 128, 160, 192, 224]);

/** The official scripts' realisation, when they could run this schedule: EfficientTrain++ at 224px, whole E, their sizes. */
export function officialRealisationOf(exp: ExperimentDef, schedule: Schedule, plan: CurriculumPlan | undefined): OfficialRealisation | undefined {
  if (!plan || schedule.curriculum !== 'efficienttrain_pp' || exp.dataset.resolution.value !== 224) return undefined;
  const e = plan.equivalentEpochs;
  if (e === undefined || !Number.isInteger(e) || schedule.stages.length !== 10) return undefined;
  if (!schedule.stages.every((s) => SCRIPT_RESOLUTIONS.has(s.resolution))) return undefined;
  return officialScriptStages(
    e,
    schedule.stages.map((s) => s.resolution),
    schedule.stages.map((s) => s.replay.r),
    plan.family === 'deit',
  );
}

function hardwareRows(exp: ExperimentDef, schedule: Schedule): ExplainHardwareJson[] {
  const rows: ExplainHardwareJson[] = [];
  for (const limit of exp.budget.limits) {
    const profile = findProfile(limit.hardware.profile.value);
    if (!profile) continue;
    const u = limit.hardware.utilisation.value;
    const devices = limit.hardware.devices.value;
    const hours = deviceHours(schedule.totals.compute, profile, u);
    rows.push({ limit: limit.kind, profile: profile.name, utilisation: u, devices, device_hours: hours, wall_hours: hours / devices, limit_hours: limit.max.value });
  }
  return rows;
}

function stageJson(s: CostedStage, plan: CurriculumPlan | undefined, clock: 'compute' | 'epochs'): ExplainStageJson {
  const planned = plan?.stages[s.index - 1];
  return {
    index: s.index,
    compute_start: s.computeStart,
    compute_end: s.computeEnd,
    ...(clock === 'epochs' && planned ? { epochs_start: planned.start, epochs_end: planned.end } : {}),
    resolution: s.resolution,
    requested_resolution: s.rounding?.requested ?? s.resolution,
    rounding: s.rounding ? { ...s.rounding } : null,
    low_pass: s.lowPass,
    randaugment: { ...s.randaugment },
    replay: { ...s.replay },
    batch_split: { per_device: s.batchSplit.perDevice, accumulation: s.batchSplit.accumulation },
    epochs: s.epochs,
    images: s.images,
    steps: s.steps,
    training_macs_per_image: s.macsPerImage,
    pixel_proxy_macs_per_image: s.macsPerImagePixelProxy,
    compute_macs: s.compute,
    share: s.share,
    declared_share: s.declaredShare,
  };
}

/** The explanation of one experiment; undefined when it has no schedule (its diagnostics say why). */
export function explainExperiment(ctx: ExperimentContext): ExplainResult | undefined {
  const { experiment: exp, schedule } = ctx;
  if (!schedule) return undefined;
  const plan = planCurriculum(exp).plan;
  const official = officialRealisationOf(exp, schedule, plan);
  const hardware = hardwareRows(exp, schedule);
  const json: ExplainJson = {
    name: exp.name,
    file: exp.file,
    sweep: exp.sweep ? { name: exp.sweep.name, point: { ...exp.sweep.point } } : null,
    model: modelName(exp),
    model_family: ctx.spec.family,
    dataset: { name: exp.dataset.name, resolution: exp.dataset.resolution.value, images: exp.dataset.trainImages.value },
    curriculum: schedule.curriculum,
    efficienttrain_pp_family: plan?.family ?? null,
    clock: schedule.clock,
    budget_source: plan?.budgetSource ?? '',
    baseline_epochs: exp.baseline.epochs.value,
    batch: exp.train.batch.value,
    speedup: schedule.totals.speedup,
    speedup_pixel_proxy: schedule.totals.speedupPixelProxy,
    equivalent_epochs: schedule.totals.equivalentEpochs,
    compute_macs: schedule.totals.compute,
    baseline_compute_macs: schedule.totals.baselineCompute,
    images: schedule.totals.images,
    steps: schedule.totals.steps,
    hardware,
    stages: schedule.stages.map((s) => stageJson(s, plan, schedule.clock)),
    official_scripts: official ?? null,
  };
  return { text: explainText(ctx, schedule, plan, official, hardware), json };
}

function explainText(ctx: ExperimentContext, schedule: Schedule, plan: CurriculumPlan | undefined, official: OfficialRealisation | undefined, hardware: ExplainHardwareJson[]): string {
  const exp = ctx.experiment;
  const full = exp.dataset.resolution.value;
  const lines: string[] = [];
  const sweep = exp.sweep ? `  (sweep ${exp.sweep.name}: ${Object.entries(exp.sweep.point).map(([k, v]) => `${k} = ${v}`).join(', ')})` : '';
  lines.push(`experiment ${exp.name}  (${exp.file})${sweep}`);
  const family = exp.model.kind === 'catalogue' ? ` (${ctx.spec.family})` : '';
  lines.push(`  model ${modelName(exp)}${family} · ${exp.dataset.name}: ${formatCount(exp.dataset.trainImages.value)} images at ${full}px · global batch ${formatCount(exp.train.batch.value)}`);
  const etpp = plan?.family ? `, family ${plan.family}` : '';
  lines.push(`  curriculum ${schedule.curriculum}${etpp} · stages on the ${schedule.clock === 'compute' ? 'compute clock (shares of the total compute)' : 'epoch clock'}`);
  if (plan) lines.push(`  run length: ${schedule.clock === 'compute' ? `${formatEpochs(plan.equivalentEpochs ?? 0)} equivalent epochs, from ` : ''}${plan.budgetSource}`);
  lines.push('');

  const rows = schedule.stages.map((s) => {
    const planned = plan?.stages[s.index - 1];
    const epochSpan = schedule.clock === 'epochs' && planned ? { start: planned.start, end: planned.end } : undefined;
    return stageRowFromCosted(s, epochSpan, planned?.resolutionOrigin);
  });
  lines.push(...renderStageTable(rows, schedule.totals.compute));
  lines.push('');

  const t = schedule.totals;
  const totals = runTotalRows({
    compute: t.compute,
    baselineCompute: t.baselineCompute,
    baselineEpochs: exp.baseline.epochs.value,
    fullResolution: full,
    speedup: t.speedup,
    speedupPixelProxy: t.speedupPixelProxy,
    equivalentEpochs: t.equivalentEpochs,
    images: t.images,
    steps: t.steps,
  });
  for (const h of hardware) {
    const wall = h.devices > 1 ? `, ${formatHours(h.wall_hours)} wall on ${h.devices} devices` : '';
    const limitText = h.limit === 'device_hours' ? `limit ${formatHours(h.limit_hours)}` : `wall-time limit ${formatHours(h.limit_hours)}`;
    totals.push(['device-hours', `${formatHours(h.device_hours)} on ${h.profile} at ${formatPercent(h.utilisation)} of peak${wall} (${limitText})`]);
  }
  lines.push(...renderTotalRows(totals));

  if (official) {
    lines.push('');
    lines.push(`  the official launch scripts run ${formatEpochs(official.equivalentEpochs)} equivalent epochs as (pixel proxy, int()/round() truncation):`);
    const officialColumns: Column[] = [
      { header: 'stage', align: 'right' },
      { header: 'res', align: 'right' },
      { header: '--epochs', align: 'right' },
      { header: 'start', align: 'right' },
      { header: '--end_epoch', align: 'right' },
      { header: '--warmup_epochs', align: 'right' },
      { header: 'epochs run', align: 'right' },
      { header: 'share (proxy)', align: 'right' },
    ];
    const officialRows = official.stages.map((s) => [
      String(s.index),
      `${s.resolution}px`,
      String(s.virtualEpochs),
      String(s.startEpoch),
      String(s.endEpoch),
      String(s.warmupEpochs),
      String(s.epochs),
      formatPercentFixed(s.proxyEpochs / official.proxyEquivalentEpochs),
    ]);
    lines.push(...renderTable(officialColumns, officialRows, '  '));
    const baseline = exp.baseline.epochs.value;
    lines.push(
      `  total ${trimZeros(official.proxyEquivalentEpochs.toFixed(2))} epochs at 224px by the pixel proxy: ${formatSpeedup(baseline / official.proxyEquivalentEpochs)} over the ${formatEpochs(baseline)}-epoch baseline`,
    );
  }
  return lines.join('\n') + '\n';
}
