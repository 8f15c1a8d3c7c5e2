// The stage table and run totals, as `eft explain` prints them for a source and `eft plan show`
// for a plan: one row per stage (compute range, resolution, low-pass, RandAugment m, replay,
// epochs, images, steps, training MACs per image, compute, share), rounded resolutions as
// footnotes, a legend of the units, then the totals as labelled rows. Its rows are a neutral
// form that both a costed schedule and a plan convert to, so the two commands print the same
// table for the same run.
import type { CostedStage } from './schedule.js';
import type { PlanStage } from '../plan/types.js';
import { formatCount, formatEpochs, formatMacs, formatPercentFixed, formatPixels, formatSpeedup, macUnitFor, significant, trimZeros } from './curricula/format.js';
import { renderTable, type Column } from './curricula/table.js';

export interface StageTableRow {
  index: number;
  /** Fractions of the run's compute. */
  computeStart: number;
  computeEnd: number;
  /** The stage's declared span on the epoch clock, when the curriculum was written in epochs. */
  epochSpan?: { start: number; end: number };
  resolution: number;
  /** Set when the requested resolution was rounded; `origin` says how the request was derived. */
  rounding?: { requested: number; reason: string; origin?: string };
  lowPass: string;
  m: number;
  r: number;
  k: number;
  epochs: number;
  images: number;
  steps: number;
  macsPerImage: number;
  compute: number;
  share: number;
}

export function stageRowFromCosted(s: CostedStage, epochSpan?: { start: number; end: number }, origin?: string): StageTableRow {
  return {
    index: s.index,
    computeStart: s.computeStart,
    computeEnd: s.computeEnd,
    epochSpan,
    resolution: s.resolution,
    rounding: s.rounding ? { requested: s.rounding.requested, reason: s.rounding.reason, origin } : undefined,
    lowPass: s.lowPass,
    m: s.randaugment.m,
    r: s.replay.r,
    k: s.replay.k,
    epochs: s.epochs,
    images: s.images,
    steps: s.steps,
    macsPerImage: s.macsPerImage,
    compute: s.compute,
    share: s.share,
  };
}

export function stageRowFromPlan(s: PlanStage): StageTableRow {
  return {
    index: s.index,
    computeStart: s.compute_start_fraction,
    computeEnd: s.compute_end_fraction,
    resolution: s.resolution_px,
    rounding: s.resolution_rounding_reason !== null ? { requested: s.resolution_requested_px, reason: s.resolution_rounding_reason } : undefined,
    lowPass: s.low_pass,
    m: s.randaugment.m,
    r: s.replay.r,
    k: s.replay.k_batches,
    epochs: s.epochs,
    images: s.images,
    steps: s.steps,
    macsPerImage: s.macs_per_image,
    compute: s.compute_macs,
    share: s.share,
  };
}

/** The table, its footnotes and its legend, indented by two spaces. */
export function renderStageTable(rows: readonly StageTableRow[], totalCompute: number): string[] {
  const last = rows[rows.length - 1];
  const perImageUnit = last && last.macsPerImage >= 1e8 ? { label: 'GMACs', factor: 1e9 } : { label: 'MMACs', factor: 1e6 };
  const computeUnit = macUnitFor(totalCompute);
  const showSpan = rows.some((s) => s.epochSpan !== undefined);
  const showReplay = rows.some((s) => s.r !== 1 || s.k !== 0);
  const columns: Column[] = [
    { header: 'stage', align: 'right' },
    ...(showSpan ? [{ header: 'epochs span', align: 'left' } as Column] : []),
    { header: 'compute', align: 'left' },
    { header: 'res', align: 'right' },
    { header: 'low-pass', align: 'left' },
    { header: 'm', align: 'right' },
    ...(showReplay ? [{ header: 'r', align: 'right' } as Column, { header: 'K', align: 'right' } as Column] : []),
    { header: 'epochs', align: 'right' },
    { header: 'images', align: 'right' },
    { header: 'steps', align: 'right' },
    { header: `train ${perImageUnit.label}/img`, align: 'right' },
    { header: computeUnit.label, align: 'right' },
    { header: 'share', align: 'right' },
  ];
  const footnotes: string[] = [];
  const cells = rows.map((s) => {
    let res = `${s.resolution}px`;
    if (s.rounding) {
      res += '*';
      const origin = s.rounding.origin ? ` (${s.rounding.origin})` : '';
      footnotes.push(`  * stage ${s.index}: ${formatPixels(s.rounding.requested)}${origin} → ${s.resolution}px: ${s.rounding.reason}`);
    }
    return [
      String(s.index),
      ...(showSpan ? [s.epochSpan ? `${formatEpochs(s.epochSpan.start)}–${formatEpochs(s.epochSpan.end)}ep` : ''] : []),
      `${formatPercentFixed(s.computeStart)}–${formatPercentFixed(s.computeEnd)}`,
      res,
      s.lowPass,
      trimZeros(s.m.toFixed(2)),
      ...(showReplay ? [String(s.r), String(s.k)] : []),
      s.epochs.toFixed(2),
      formatCount(s.images),
      formatCount(s.steps),
      significant(s.macsPerImage / perImageUnit.factor, 4),
      significant(s.compute / computeUnit.factor, 4),
      formatPercentFixed(s.share),
    ];
  });
  const lines = [...renderTable(columns, cells, '  '), ...footnotes];
  lines.push(
    `  train ${perImageUnit.label}/img: training multiply-accumulates per image at the stage's resolution (forward + backward ≈ 3 × forward); ${computeUnit.label}: the stage's training compute (10^${Math.round(Math.log10(computeUnit.factor))} MACs)`,
  );
  if (showReplay) lines.push('  r, K: replay factor and buffer size; images and epochs count fresh images read, compute counts every image trained on');
  return lines;
}

export interface RunTotals {
  compute: number;
  baselineCompute: number;
  baselineEpochs: number;
  fullResolution: number;
  speedup: number;
  speedupPixelProxy: number;
  equivalentEpochs: number;
  images: number;
  steps: number;
}

/** The totals under the stage table, as label and value, before any hardware rows. */
export function runTotalRows(t: RunTotals): [string, string][] {
  return [
    ['compute', `${formatMacs(t.compute)} (baseline ${formatEpochs(t.baselineEpochs)} epochs at ${t.fullResolution}px: ${formatMacs(t.baselineCompute)})`],
    ['speedup', `${formatSpeedup(t.speedup)} by the architecture's FLOPs, ${formatSpeedup(t.speedupPixelProxy)} by the pixel proxy (cost ∝ B²)`],
    ['equivalent epochs', formatEpochs(t.equivalentEpochs)],
    ['images, steps', `${formatCount(t.images)} images, ${formatCount(t.steps)} steps`],
  ];
}

/** Label-value rows, labels padded to one width, indented by two spaces. */
export function renderTotalRows(rows: readonly [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}
