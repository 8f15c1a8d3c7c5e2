import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { formatCount, formatPercent } from '../../curricula/format.js';
import { budgetHardware, imagesPerSecond } from '../../hardware.js';
import type { CostedStage } from '../../schedule.js';
import type { ExperimentRule } from '../rule.js';

/** The most a replay factor may be (the language's bound on `replay.r`). */
const MAX_REPLAY = 64;

function stageList(stages: readonly CostedStage[]): string {
  return stages.length === 1 ? `stage ${stages[0].index}` : `stages ${stages.map((s) => s.index).join(', ')}`;
}

/**
 * EFT0316: stages whose device would train faster than the data loader delivers fresh images.
 * A device at utilisation u of its peak trains on peak·u / (2 · training MACs per image)
 * images per second; with replay factor r the loader must deliver 1/r of them. One warning
 * per experiment, naming the stages by resolution, with the replay factors that would do.
 */
export const rule: ExperimentRule = {
  kind: 'experiment',
  name: 'loader-bound',
  codes: ['EFT0316'],
  check({ experiment, schedule }, report) {
    const loader = experiment.budget.loaderThroughput;
    const hw = budgetHardware(experiment);
    if (!loader || !hw || !schedule) return;
    const u = hw.hardware.utilisation.value;
    const trainRate = (s: CostedStage) => imagesPerSecond(s.macsPerImage, hw.profile, u);
    const needOf = (s: CostedStage) => trainRate(s) / s.replay.r;
    const bound = schedule.stages.filter((s) => needOf(s) > loader.value);
    if (bound.length === 0) return;
    const suggested = schedule.stages.map((s) => (needOf(s) > loader.value ? Math.min(MAX_REPLAY, s.replay.r * Math.ceil(needOf(s) / loader.value)) : s.replay.r));
    const byResolution = new Map<number, CostedStage[]>();
    for (const s of bound) byResolution.set(s.resolution, [...(byResolution.get(s.resolution) ?? []), s]);
    const groups = [...byResolution];
    const parts = groups.map(([res, stages]) => `${formatCount(Math.max(...stages.map(needOf)))} images/s at ${res}px${groups.length > 1 ? ` (${stageList(stages)})` : ''}`);
    const first = bound[0];
    const help =
      bound.length === 1
        ? `a replay buffer trains each loaded image r times: \`stage ${first.index} { replay { r ${suggested[first.index - 1]} } }\``
        : `a replay buffer trains each loaded image r times: \`replay { r [${suggested.join(', ')}] }\` in the curriculum block`;
    report(
      makeDiagnostic('EFT0316', 'warning', `the data loader likely bounds ${stageList(bound)}: ${bound.length === 1 ? 'it needs' : 'they need'} about ${parts.join(' and ')} per device, but the loader delivers ${formatCount(loader.value)} images/s`, {
        span: first.span,
        label: 'likely loader-bound',
        notes: [
          `at ${formatPercent(u)} of the ${hw.profile.title}'s ${hw.profile.peakTflops} TFLOP/s peak one device trains on about ${formatCount(trainRate(first))} images/s at ${first.resolution}px, and reads 1/r of them from the loader`,
          'EfficientTrain++ used r = 4 for the 96px stages of DeiT-S and ResNet-50; replay keeps the compute and reads fewer images',
        ],
        help: [help],
      }),
    );
  },
};
