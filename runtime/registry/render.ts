/**
 * Runs as text for people: a listing table and the detail of one run (its stages, planned
 * compute share against measured time share, and a summary of its metrics). Times are shown
 * in UTC so that the same registry reads the same everywhere.
 */
import { formatDuration, formatLoss, formatPercent } from '../progress/format.js';
import { type LivenessProbe, statusText, THIS_MACHINE } from './liveness.js';
import type { EpochMetricsRecord, RunDetail, RunSummary, StageRecord } from './types.js';

type Align = 'left' | 'right';

/** Columns padded to their widest cell; no trailing spaces. */
export function renderTable(headers: string[], rows: string[][], align: Align[], indent = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** `2026-11-28 09:30:12` from an ISO time in UTC. */
export function formatTime(iso: string | null): string {
  return iso === null ? '--' : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

export function renderRunList(runs: readonly RunSummary[], probe: LivenessProbe = THIS_MACHINE): string {
  return renderTable(
    ['ID', 'EXPERIMENT', 'STATUS', 'STARTED (UTC)', 'WALL', 'TOP-1', 'BACKEND'],
    runs.map((r) => [r.id, r.experiment, statusText(r, probe), formatTime(r.startedAt), formatDuration(r.wallSeconds), formatPercent(r.finalTop1), r.backend]),
    ['left', 'left', 'left', 'left', 'right', 'right', 'left'],
  );
}

function renderStages(stages: readonly StageRecord[]): string {
  const measuredTotal = stages.reduce((sum, s) => sum + (s.measuredSeconds ?? 0), 0);
  const count = stages.length === 0 ? 0 : Math.max(...stages.map((s) => s.stageIndex)) + 1;
  const rows = stages.map((s) => [
    `${s.stageIndex + 1}/${count}`,
    `${s.resolution}px`,
    `${(s.plannedShare * 100).toFixed(1)}%`,
    s.measuredSeconds === null || measuredTotal === 0 ? '--' : `${((s.measuredSeconds / measuredTotal) * 100).toFixed(1)}%`,
    String(s.plannedSteps),
    String(s.plannedImages),
    formatDuration(s.measuredSeconds),
    s.measuredImagesPerSecond === null ? '--' : s.measuredImagesPerSecond.toFixed(1),
  ]);
  return renderTable(
    ['STAGE', 'RES', 'PLANNED SHARE', 'TIME SHARE', 'STEPS', 'IMAGES', 'TIME', 'IMG/S'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    '  ',
  );
}

function last<T>(items: readonly T[], pick: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (pick(items[i])) return items[i];
  return undefined;
}

function renderMetrics(metrics: readonly EpochMetricsRecord[]): string {
  if (metrics.length === 0) return 'metrics  none recorded\n';
  const first = metrics[0];
  const final = metrics[metrics.length - 1];
  const lines = [
    `metrics  ${metrics.length} record${metrics.length === 1 ? '' : 's'}, ${first.step === final.step ? `step ${final.step}` : `steps ${first.step}–${final.step}`}, epoch ${final.epoch.toFixed(2)}, compute ${(final.computeFraction * 100).toFixed(1)}%`,
  ];
  const firstTrain = metrics.find((m) => m.trainLoss !== null);
  const lastTrain = last(metrics, (m) => m.trainLoss !== null);
  if (firstTrain && lastTrain) lines.push(`  train loss  ${formatLoss(firstTrain.trainLoss)} → ${formatLoss(lastTrain.trainLoss)}`);
  const lastVal = last(metrics, (m) => m.valLoss !== null);
  if (lastVal) lines.push(`  val loss    ${formatLoss(lastVal.valLoss)} at step ${lastVal.step}`);
  const evaluated = metrics.filter((m) => m.valTop1 !== null);
  if (evaluated.length > 0) {
    const latest = evaluated[evaluated.length - 1];
    const best = evaluated.reduce((a, b) => ((b.valTop1 ?? 0) > (a.valTop1 ?? 0) ? b : a));
    lines.push(`  val top-1   ${formatPercent(latest.valTop1)} at step ${latest.step} (best ${formatPercent(best.valTop1)} at step ${best.step})`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** Where a run's plan came from: a plan file, or an .eft file compiled in memory. */
function planSource(path: string | null): string {
  if (path === null) return '(not from a file)';
  return path.endsWith('.eft') ? `compiled from ${path}` : path;
}

export function renderRunDetail(detail: RunDetail, probe: LivenessProbe = THIS_MACHINE): string {
  const { run, stages, metrics, result } = detail;
  const wall = result?.wallSeconds ?? (run.endedAt ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000 : null);
  const fields: [string, string][] = [
    ['experiment', run.experiment],
    ['model', `${run.model} on ${run.dataset}, curriculum ${run.curriculum}`],
    ['status', statusText(run, probe)],
    ['started', `${formatTime(run.startedAt)} UTC`],
    ['ended', run.endedAt === null ? '--' : `${formatTime(run.endedAt)} UTC (wall ${formatDuration(wall)})`],
    ['plan', `${planSource(run.planPath)}, hash ${run.planHash}`],
    ['seed', String(run.seed)],
    ['backend', `${run.backend} on ${run.host}${run.pid === null ? '' : `, process ${run.pid}`}`],
    ['eft', run.eftVersion],
  ];
  if (run.resumedFrom) fields.push(['resumed from', run.resumedFrom]);
  if (run.error) fields.push(['error', run.error]);
  const width = Math.max(...fields.map(([k]) => k.length));
  let text = `run ${run.id}\n`;
  text += fields.map(([k, v]) => `  ${k.padEnd(width)}  ${v}\n`).join('');
  text += '\n';
  text += stages.length === 0 ? 'stages   none recorded\n' : `stages\n${renderStages(stages)}`;
  text += '\n';
  text += renderMetrics(metrics);
  if (result) {
    text += '\n';
    text += `result   top-1 ${formatPercent(result.finalTop1)}, loss ${formatLoss(result.finalLoss)}, wall ${formatDuration(result.wallSeconds)}, ${result.imagesProcessed.toLocaleString('en-US')} images\n`;
  }
  return text;
}
