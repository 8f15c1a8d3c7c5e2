// What a finished run reports: per stage the planned compute share beside the measured share
// of training time, images/s, and the measured speedup against a baseline run of the same
// model and data set beside the plan's predicted one. Plain data and plain text.
import { canonicalJson } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import type { EvalRecord, RunProgress } from './progress-state.js';
import type { RunSchedule } from './run-schedule.js';

export interface StageSummary {
  /** 1-based, as shown. */
  stage: number;
  resolution: number;
  steps: number;
  trainedImages: number;
  plannedShare: number;
  seconds: number;
  cpuSeconds: number;
  measuredShare: number;
  imagesPerSecond: number;
}

export interface BaselineComparison {
  /** The baseline run (a registry id, or an experiment run earlier in the same command). */
  baseline: string;
  baselineTrainSeconds: number;
  measuredSpeedup: number;
  predictedSpeedup: number;
}

export interface RunSummary {
  runId: string;
  experiment: string;
  model: string;
  dataset: string;
  curriculum: string;
  planHash: string;
  backend: string;
  status: 'completed' | 'interrupted' | 'failed';
  top1: number | null;
  loss: number | null;
  /** Wall seconds of the run, evaluation and checkpoints included (and earlier processes of a resumed run). */
  wallSeconds: number;
  /** Training time: the stages' measured seconds (evaluation and checkpoints excluded). */
  trainSeconds: number;
  /** CPU time of the same work (see StageProgress.cpuSeconds). */
  trainCpuSeconds: number;
  trainedImages: number;
  predictedSpeedup: number;
  stages: StageSummary[];
  evals: EvalRecord[];
  comparison: BaselineComparison | null;
  /** Why there is no comparison. */
  comparisonNote: string | null;
  /** Set when --max-images shortened the run. */
  maxImages: number | null;
  /** What a baseline must share with this run for their times to compare (see comparableSetup). */
  setup: string;
}

/** The architecture, data-set size and resolution, baseline epochs and batch of a plan, as one key. */
export function comparableSetup(plan: Plan): string {
  return canonicalJson([plan.model.spec, plan.dataset.name, plan.dataset.train_images, plan.dataset.resolution_px, plan.baseline.epochs, plan.recipe.batch_size]);
}

export function summarise(plan: Plan, schedule: RunSchedule, progress: RunProgress, meta: Pick<RunSummary, 'runId' | 'backend' | 'status' | 'wallSeconds' | 'maxImages'>): RunSummary {
  const trainSeconds = progress.stages.reduce((sum, s) => sum + s.seconds, 0);
  const trainCpuSeconds = progress.stages.reduce((sum, s) => sum + (s.cpuSeconds ?? 0), 0);
  const final = progress.evals.length > 0 ? progress.evals[progress.evals.length - 1] : null;
  const stages = schedule.stages.map((s, i): StageSummary => {
    const measured = progress.stages[i];
    return {
      stage: i + 1,
      resolution: s.stage.resolution_px,
      steps: measured.steps,
      trainedImages: measured.trainedImages,
      plannedShare: (s.trainedImages * s.stage.macs_per_image) / schedule.totalCompute,
      seconds: measured.seconds,
      cpuSeconds: measured.cpuSeconds ?? 0,
      measuredShare: trainSeconds > 0 ? measured.seconds / trainSeconds : 0,
      imagesPerSecond: measured.seconds > 0 ? measured.trainedImages / measured.seconds : 0,
    };
  });
  return {
    ...meta,
    experiment: plan.experiment.name,
    model: plan.model.name,
    dataset: plan.dataset.name,
    curriculum: plan.curriculum.name,
    planHash: plan.plan_sha256,
    top1: meta.status === 'completed' && final ? final.top1 : null,
    loss: meta.status === 'completed' && final ? final.loss : null,
    trainSeconds,
    trainCpuSeconds,
    trainedImages: progress.trainedImages,
    predictedSpeedup: plan.totals.speedup,
    stages,
    evals: progress.evals,
    comparison: null,
    comparisonNote: null,
    setup: comparableSetup(plan),
  };
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** Rows of cells as an aligned table; `numeric` columns are right-aligned. */
export function table(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => pad(cell, widths[c], numeric[c])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function formatSpeedup(value: number): string {
  return `${value.toFixed(2)}×`;
}

export function formatRunSummary(summary: RunSummary): string {
  const out: string[] = [];
  out.push(
    table(
      ['stage', 'res', 'steps', 'images', 'planned compute', 'measured time', 'seconds', 'images/s'],
      summary.stages.map((s) => [
        String(s.stage),
        `${s.resolution}px`,
        String(s.steps),
        String(s.trainedImages),
        pct(s.plannedShare),
        pct(s.measuredShare),
        s.seconds.toFixed(1),
        s.imagesPerSecond.toFixed(0),
      ]),
      [false, true, true, true, true, true, true, true],
    ),
  );
  const accuracy = summary.top1 !== null ? `top-1 ${pct(summary.top1)} (loss ${summary.loss!.toFixed(4)})` : 'no validation result';
  out.push(`${summary.experiment}: ${accuracy}; wall ${summary.wallSeconds.toFixed(1)} s, training ${summary.trainSeconds.toFixed(1)} s (CPU ${summary.trainCpuSeconds.toFixed(1)} s)\n`);
  if (summary.comparison) {
    const c = summary.comparison;
    out.push(
      `speedup against baseline ${c.baseline}: measured ${formatSpeedup(c.measuredSpeedup)} (training ${c.baselineTrainSeconds.toFixed(1)} s → ${summary.trainSeconds.toFixed(1)} s), ` +
        `predicted ${formatSpeedup(c.predictedSpeedup)}, measured/predicted ${(c.measuredSpeedup / c.predictedSpeedup).toFixed(2)}\n`,
    );
  } else {
    out.push(`predicted speedup ${formatSpeedup(summary.predictedSpeedup)}${summary.comparisonNote ? `; ${summary.comparisonNote}` : ''}\n`);
  }
  return out.join('');
}

/** The table `eft run FILE.eft` prints after running every experiment of the file. */
export function formatComparison(summaries: RunSummary[]): string {
  return table(
    ['experiment', 'curriculum', 'top-1', 'wall s', 'train s', 'measured speedup', 'predicted speedup', 'run'],
    summaries.map((s) => [
      s.experiment,
      s.curriculum,
      s.top1 !== null ? pct(s.top1) : '-',
      s.wallSeconds.toFixed(1),
      s.trainSeconds.toFixed(1),
      s.comparison ? formatSpeedup(s.comparison.measuredSpeedup) : s.curriculum === 'none' ? formatSpeedup(1) : '-',
      formatSpeedup(s.predictedSpeedup),
      s.runId,
    ]),
    [false, false, true, true, true, true, true, false],
  );
}
