// Sentences about a schedule that several budget diagnostics share.
import type { Schedule } from '../schedule.js';
import { formatEpochs, formatMacs, formatPercentFixed, formatSpeedup, macUnitFor, significant } from './format.js';

/** `the stages cost 3.54 EMACs, the baseline 5.31 EMACs: 1 @96px 0.354 (10.0%), 2 @96px ...` */
export function stageTotalsNote(schedule: Schedule): string {
  const unit = macUnitFor(schedule.totals.compute);
  const parts = schedule.stages.map((s) => `${s.index} @${s.resolution}px ${significant(s.compute / unit.factor, 3)} (${formatPercentFixed(s.share)})`);
  return `per stage (${unit.label}): ${parts.join(', ')}; total ${formatMacs(schedule.totals.compute)} against the baseline's ${formatMacs(schedule.totals.baselineCompute)}`;
}

/** `by the pixel proxy (cost ∝ B²) the stages give 1.47x` */
export function pixelProxyNote(schedule: Schedule): string {
  return `by the pixel proxy of the official scripts (cost ∝ B²) the stages give ${formatSpeedup(schedule.totals.speedupPixelProxy)}; eft counts the architecture's FLOPs at each resolution`;
}

/** `the run costs 200 equivalent epochs` */
export function equivalentEpochsText(schedule: Schedule): string {
  return `${formatEpochs(schedule.totals.equivalentEpochs)} equivalent epochs`;
}
