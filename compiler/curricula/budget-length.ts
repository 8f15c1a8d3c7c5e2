// How long a run is: equivalent epochs for compute-clock curricula, epochs for epoch-clock
// ones, and where that number came from (shown by `eft explain`).
import type { ExperimentDef, Located } from '../experiment.js';
import { formatEpochs, formatSpeedup } from './format.js';

export interface RunLength {
  value: number;
  /** In words, with the source text it came from: ``budget `speedup 1.5x` (300 / 1.5)``. */
  source: string;
}

type Args = Record<string, Located<number | string>>;

function num(args: Args, name: string): number | undefined {
  const v = args[name]?.value;
  return typeof v === 'number' ? v : undefined;
}

/**
 * Equivalent epochs E of a compute-clock run, by precedence: the curriculum's
 * `equivalent_epochs` or `speedup` argument, then the budget's `equivalent_epochs`, then the
 * budget's `speedup` (E = baseline epochs / speedup), else the baseline's epochs (1.0×).
 */
export function equivalentEpochsOf(exp: ExperimentDef, args: Args = {}): RunLength {
  const baseline = exp.baseline.epochs.value;
  const argEpochs = num(args, 'equivalent_epochs');
  if (argEpochs !== undefined) return { value: argEpochs, source: `argument \`equivalent_epochs: ${formatEpochs(argEpochs)}ep\`` };
  const argSpeedup = num(args, 'speedup');
  if (argSpeedup !== undefined) {
    return { value: baseline / argSpeedup, source: `argument \`speedup: ${formatSpeedup(argSpeedup)}\` (${formatEpochs(baseline)} / ${trimFactor(argSpeedup)})` };
  }
  const budgetEpochs = exp.budget.equivalentEpochs?.value;
  if (budgetEpochs !== undefined) return { value: budgetEpochs, source: `budget \`equivalent_epochs ${formatEpochs(budgetEpochs)}ep\`` };
  const budgetSpeedup = exp.budget.speedup?.value;
  if (budgetSpeedup !== undefined) {
    return { value: baseline / budgetSpeedup, source: `budget \`speedup ${formatSpeedup(budgetSpeedup)}\` (${formatEpochs(baseline)} / ${trimFactor(budgetSpeedup)})` };
  }
  return { value: baseline, source: `the baseline's ${formatEpochs(baseline)} epochs (no budget declared)` };
}

/** Epochs of an epoch-clock library run: the `epochs` argument, else the baseline's epochs. */
export function epochsOf(exp: ExperimentDef, args: Args = {}): RunLength {
  const argEpochs = num(args, 'epochs');
  if (argEpochs !== undefined) return { value: argEpochs, source: `argument \`epochs: ${formatEpochs(argEpochs)}ep\`` };
  const baseline = exp.baseline.epochs.value;
  return { value: baseline, source: `the baseline's ${formatEpochs(baseline)} epochs` };
}

function trimFactor(x: number): string {
  return String(Number(x.toFixed(6)));
}
