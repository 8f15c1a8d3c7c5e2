// Builds the rules that hold a run to a time limit on declared hardware: device-hours
// (training FLOPs / sustained FLOP/s) or wall time (device-hours / devices).
import { makeDiagnostic } from '../../diagnostics/diagnostic.js';
import type { BudgetLimit } from '../experiment.js';
import { deviceHours, findProfile, sustainedFlops, trainingFlops } from '../hardware.js';
import type { ExperimentRule } from '../rules/rule.js';
import { formatEpochs, formatHours, formatHoursValue, formatPercent, formatSpeedup, significant } from './format.js';

export function limitRule(name: string, code: string, kind: BudgetLimit['kind']): ExperimentRule {
  return {
    kind: 'experiment',
    name,
    codes: [code],
    check({ experiment, schedule }, report) {
      if (!schedule) return;
      for (const limit of experiment.budget.limits) {
        if (limit.kind !== kind) continue;
        const profile = findProfile(limit.hardware.profile.value);
        if (!profile) continue;
        const u = limit.hardware.utilisation.value;
        const devices = limit.hardware.devices.value;
        const hours = deviceHours(schedule.totals.compute, profile, u);
        const needed = kind === 'device_hours' ? hours : hours / devices;
        const max = limit.max.value;
        if (needed <= max * (1 + 1e-12)) continue;
        const where = kind === 'device_hours' ? `device-hours on ${profile.name}` : `hours of wall time on ${devices} × ${profile.name}`;
        const pflops = trainingFlops(schedule.totals.compute) / 1e18;
        const allowedEpochs = schedule.totals.equivalentEpochs * (max / needed);
        const baseline = experiment.baseline.epochs.value;
        report(
          makeDiagnostic(code, 'error', `the run needs ${formatHoursValue(needed)} ${where} at ${formatPercent(u)} utilisation, over the limit of ${formatHours(max)}`, {
            span: limit.max.span,
            label: `needs ${formatHours(needed)}`,
            notes: [
              `training is 2 × ${significant(schedule.totals.compute / 1e18, 3)} EMACs = ${significant(pflops, 3)} EFLOP at ${significant(sustainedFlops(profile, u) / 1e12, 4)} TFLOP/s per device (${formatPercent(u)} of the ${profile.title}'s ${profile.peakTflops} TFLOP/s ${profile.precision} peak)`,
            ],
            help: [
              `within ${formatHours(max)} the run can cost at most ${formatEpochs(allowedEpochs)} equivalent epochs (a ${formatSpeedup(baseline / allowedEpochs)} speedup), or raise the limit`,
            ],
          }),
        );
      }
    },
  };
}
