import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { formatEpochs, formatPercent, formatSpeedup } from '../../curricula/format.js';
import { equivalentEpochsText, pixelProxyNote, stageTotalsNote } from '../../curricula/notes.js';
import type { ExperimentRule } from '../rule.js';

/** EFT0310: the declared speedup differs from baseline compute / curriculum compute by more than the tolerance. */
export const rule: ExperimentRule = {
  kind: 'experiment',
  name: 'declared-speedup',
  codes: ['EFT0310'],
  check({ experiment, schedule }, report) {
    const declared = experiment.budget.speedup;
    if (!declared || !schedule) return;
    const actual = schedule.totals.speedup;
    const tolerance = experiment.budget.tolerance.value;
    if (Math.abs(actual - declared.value) <= tolerance * declared.value * (1 + 1e-12)) return;
    const baseline = experiment.baseline.epochs.value;
    const target = formatEpochs(baseline / declared.value);
    const curriculum = experiment.curriculum;
    const fix =
      schedule.clock === 'compute' && curriculum.kind === 'library'
        ? `write \`${curriculum.name.value}(equivalent_epochs: ${target}ep)\``
        : schedule.clock === 'compute' || curriculum.kind === 'none'
          ? `declare \`equivalent_epochs ${target}ep\` in the budget`
          : 'shorten the stages or lower their resolutions';
    report(
      makeDiagnostic('EFT0310', 'error', `declared speedup ${formatSpeedup(declared.value)} but the stages give ${formatSpeedup(actual)} (tolerance ${formatPercent(tolerance, 2)})`, {
        span: declared.span,
        label: `the stages give ${formatSpeedup(actual)}`,
        notes: [`the run costs ${equivalentEpochsText(schedule)} against the baseline's ${formatEpochs(baseline)}`, stageTotalsNote(schedule), pixelProxyNote(schedule)],
        help: [`a ${formatSpeedup(declared.value)} run costs ${target} equivalent epochs: ${fix}, or declare \`speedup ${formatSpeedup(actual)}\``],
      }),
    );
  },
};
