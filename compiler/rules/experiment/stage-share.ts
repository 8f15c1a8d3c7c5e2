import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { formatPercent, formatPercentFixed } from '../../curricula/format.js';
import type { ExperimentRule } from '../rule.js';

/**
 * A stage's real share of the compute may differ from its declared share by this fraction of
 * the declared share before a warning. Compute-clock stages differ only by whole-image
 * rounding; epoch-clock stages differ whenever their resolutions do.
 */
export const SHARE_TOLERANCE = 0.2;

/** EFT0312: in a curriculum written out, a stage whose compute share is far from its declared (range or epoch) share. */
export const rule: ExperimentRule = {
  kind: 'experiment',
  name: 'stage-share',
  codes: ['EFT0312'],
  check({ experiment, schedule }, report) {
    if (!schedule || schedule.curriculum !== 'custom') return;
    const fullMacs = schedule.stages.length > 0 ? schedule.totals.baselineCompute / (experiment.baseline.epochs.value * experiment.dataset.trainImages.value) : 0;
    for (const s of schedule.stages) {
      if (Math.abs(s.share - s.declaredShare) <= SHARE_TOLERANCE * s.declaredShare) continue;
      const what = schedule.clock === 'epochs' ? 'of the epochs' : 'of the compute by its range';
      const relative = fullMacs > 0 ? s.macsPerImage / fullMacs : 0;
      const why =
        s.resolution === experiment.dataset.resolution.value
          ? `this stage runs at the full ${s.resolution}px while others run lower and cost less per image, so a share of the epochs is not the same share of the compute`
          : `at ${s.resolution}px an image costs ${formatPercent(relative, 1)} of one at the full ${experiment.dataset.resolution.value}px, so a share of the epochs is not the same share of the compute`;
      report(
        makeDiagnostic('EFT0312', 'warning', `stage ${s.index} is declared as ${formatPercentFixed(s.declaredShare)} ${what} but spends ${formatPercentFixed(s.share)} of the compute`, {
          span: s.span,
          label: `${formatPercentFixed(s.share)} of the compute`,
          notes: [
            why,
            `warned when the shares differ by more than ${formatPercent(SHARE_TOLERANCE)} of the declared share`,
          ],
          help: [
            schedule.clock === 'epochs'
              ? 'to give each stage a share of the compute, declare the stages `over compute` (`stage 0% .. 20% { ... }`)'
              : 'check that the ranges tile the run',
          ],
        }),
      );
    }
  },
};
