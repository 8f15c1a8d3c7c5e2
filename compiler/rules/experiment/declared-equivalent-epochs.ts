import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { formatCount, formatEpochs, formatPercent, formatSpeedup } from '../../curricula/format.js';
import { stageTotalsNote } from '../../curricula/notes.js';
import type { ExperimentRule } from '../rule.js';

/** EFT0311: the declared equivalent epochs differ from what the stages cost by more than the tolerance. */
export const rule: ExperimentRule = {
  kind: 'experiment',
  name: 'declared-equivalent-epochs',
  codes: ['EFT0311'],
  check({ experiment, schedule }, report) {
    const declared = experiment.budget.equivalentEpochs;
    if (!declared || !schedule) return;
    const actual = schedule.totals.equivalentEpochs;
    const tolerance = experiment.budget.tolerance.value;
    if (Math.abs(actual - declared.value) <= tolerance * declared.value * (1 + 1e-12)) return;
    report(
      makeDiagnostic('EFT0311', 'error', `declared ${formatEpochs(declared.value)} equivalent epochs but the stages cost ${formatEpochs(actual)} (tolerance ${formatPercent(tolerance, 2)})`, {
        span: declared.span,
        label: `the stages cost ${formatEpochs(actual)}`,
        notes: [
          `an equivalent epoch is one pass over the ${formatCount(experiment.dataset.trainImages.value)} images at the full ${experiment.dataset.resolution.value}px; the stages give a ${formatSpeedup(schedule.totals.speedup)} speedup`,
          stageTotalsNote(schedule),
        ],
        help: [`declare \`equivalent_epochs ${formatEpochs(actual)}ep\`, or change the curriculum so that it costs ${formatEpochs(declared.value)}`],
      }),
    );
  },
};
