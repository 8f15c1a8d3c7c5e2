// Costs a planned curriculum. Compute = images × training MACs per image at the stage's
// resolution. On the compute clock a stage covering a share s of a run of E equivalent epochs
// trains s · E · images_per_epoch · cost(full) / cost(B) images; on the epoch clock a stage of
// e epochs trains e · images_per_epoch images. Trained images are rounded to whole images;
// with a replay factor r the loader reads trained / r fresh images (rounded up) and the
// compute is unchanged. Steps are ceil(trained / global batch): the last step of a stage may
// be partial. Nothing here may produce NaN or Infinity: sizes that would are diagnostics.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ExperimentDef } from '../experiment.js';
import type { CostedStage, Schedule } from '../schedule.js';
import type { CostModel } from './cost-model.js';
import { formatCount, formatPixels } from './format.js';
import type { CurriculumPlan, PlannedStage } from './plan-types.js';
import { chooseResolution } from './resolution.js';

/** Beyond this many images or steps a schedule is not a training run but a typo. */
export const MAX_IMAGES = 1e15;

interface Chosen {
  stage: PlannedStage;
  resolution: number;
  rounding?: CostedStage['rounding'];
  macs: number;
  proxy: number;
}

export function costPlan(plan: CurriculumPlan, exp: ExperimentDef, cost: CostModel): { schedule?: Schedule; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const full = exp.dataset.resolution.value;
  const perEpoch = exp.dataset.trainImages.value;
  const batch = exp.train.batch.value;
  let fullCheck: ReturnType<CostModel['checkResolution']>;
  try {
    fullCheck = cost.checkResolution(full);
  } catch (err) {
    fullCheck = { ok: false, reason: errorText(err), nearestValid: [] };
  }
  if (!fullCheck.ok) {
    const nearest = fullCheck.nearestValid.map((b) => `${b}px`);
    diagnostics.push(
      makeDiagnostic('EFT0307', 'error', `the data set's full resolution of ${full}px does not suit the model: ${fullCheck.reason}`, {
        span: exp.dataset.resolution.span,
        label: `${full}px`,
        help: [
          nearest.length > 0
            ? `resize the data to ${nearest.join(' or ')}, or choose a model that accepts ${full}px`
            : `choose a model that accepts ${full}px`,
        ],
      }),
    );
    return { diagnostics };
  }
  const fullCost = costAt(cost, full);
  if (!fullCost.ok) {
    diagnostics.push(
      makeDiagnostic('EFT0307', 'error', `the model cannot be costed at the data set's full ${full}px: ${fullCost.error}`, {
        span: exp.dataset.resolution.span,
        label: 'full resolution',
      }),
    );
    return { diagnostics };
  }
  const fullMacs = fullCost.macs;
  const fullProxy = fullCost.proxy;

  const chosen: Chosen[] = [];
  for (const stage of plan.stages) {
    let choice: ReturnType<typeof chooseResolution>;
    try {
      choice = chooseResolution(stage.resolution, stage.lowPass, full, cost);
    } catch (err) {
      diagnostics.push(makeDiagnostic('EFT0307', 'error', `stage ${stage.index}: ${errorText(err)}`, { span: stage.origins.resolution ?? stage.span, label: formatPixels(stage.resolution) }));
      continue;
    }
    if (!choice.ok) {
      diagnostics.push(resolutionProblem(stage, choice.reason, full, exp));
      continue;
    }
    const at = costAt(cost, choice.chosen);
    if (!at.ok) {
      diagnostics.push(
        makeDiagnostic('EFT0307', 'error', `stage ${stage.index} cannot be costed at ${choice.chosen}px: ${at.error}`, {
          span: stage.origins.resolution ?? stage.span,
          label: `${choice.chosen}px`,
        }),
      );
      continue;
    }
    const { macs, proxy } = at;
    chosen.push({ stage, resolution: choice.chosen, rounding: choice.rounding, macs, proxy });
  }
  if (diagnostics.length > 0) return { diagnostics };

  const totalEpochsOfSpans = plan.stages.reduce((sum, s) => sum + (s.end - s.start), 0);
  const runCompute = plan.clock === 'compute' ? (plan.equivalentEpochs ?? 0) * perEpoch * fullMacs : 0;
  const stages: CostedStage[] = [];
  for (const c of chosen) {
    const { stage } = c;
    const span = stage.end - stage.start;
    const exactTrained = plan.clock === 'compute' ? (span * runCompute) / c.macs : span * perEpoch;
    if (!Number.isFinite(exactTrained) || exactTrained > MAX_IMAGES) {
      diagnostics.push(
        makeDiagnostic('EFT0308', 'error', `stage ${stage.index} would train on ${exactTrained.toExponential(2)} images, more than the ${MAX_IMAGES.toExponential(0)} a plan can hold`, {
          span: stage.span,
          label: 'too large',
          help: ['check the data set\'s `images`, the baseline epochs and the budget for a misplaced digit'],
        }),
      );
      continue;
    }
    const trained = Math.round(exactTrained);
    const r = stage.replay.r;
    const images = Math.ceil(trained / r);
    const steps = Math.ceil(trained / batch);
    const lowPass = c.resolution === full ? 'none' : stage.lowPass;
    stages.push({
      index: stage.index,
      computeStart: 0,
      computeEnd: 0,
      resolution: c.resolution,
      ...(c.rounding ? { rounding: c.rounding } : {}),
      lowPass,
      randaugment: { ...stage.randaugment },
      replay: { ...stage.replay },
      batchSplit: { ...stage.batchSplit },
      epochs: images / perEpoch,
      images,
      trainedImages: trained,
      steps,
      macsPerImage: c.macs,
      macsPerImagePixelProxy: c.proxy,
      compute: trained * c.macs,
      share: 0,
      declaredShare: plan.clock === 'compute' ? span : span / totalEpochsOfSpans,
      span: stage.span,
    });
  }
  if (diagnostics.length > 0) return { diagnostics };

  const compute = stages.reduce((sum, s) => sum + s.compute, 0);
  if (!(compute > 0)) {
    diagnostics.push(makeDiagnostic('EFT0308', 'error', 'the curriculum trains on no images at all', { span: plan.span, label: 'empty run', help: ['give the run a positive length'] }));
    return { diagnostics };
  }
  let running = 0;
  let proxyCompute = 0;
  for (const s of stages) {
    s.computeStart = running / compute;
    running += s.compute;
    s.computeEnd = running / compute;
    s.share = s.compute / compute;
    proxyCompute += s.trainedImages * s.macsPerImagePixelProxy;
  }
  stages[stages.length - 1].computeEnd = 1;
  const baselineEpochs = exp.baseline.epochs.value;
  const baselineCompute = baselineEpochs * perEpoch * fullMacs;
  const schedule: Schedule = {
    curriculum: plan.curriculum,
    clock: plan.clock,
    stages,
    totals: {
      compute,
      baselineCompute,
      speedup: baselineCompute / compute,
      speedupPixelProxy: (baselineEpochs * perEpoch * fullProxy) / proxyCompute,
      equivalentEpochs: compute / (perEpoch * fullMacs),
      images: stages.reduce((sum, s) => sum + s.images, 0),
      steps: stages.reduce((sum, s) => sum + s.steps, 0),
    },
  };
  const bad = Object.entries(schedule.totals).find(([, v]) => !Number.isFinite(v));
  if (bad) {
    diagnostics.push(makeDiagnostic('EFT0308', 'error', `the schedule's ${bad[0]} is not a finite number`, { span: plan.span, label: 'here' }));
    return { diagnostics };
  }
  return { schedule, diagnostics };
}

type CostAt = { ok: true; macs: number; proxy: number } | { ok: false; error: string };

/** Training and pixel-proxy MACs per image at B, or why they cannot be had (a throw, or no positive finite number). */
function costAt(cost: CostModel, B: number): CostAt {
  try {
    const macs = cost.trainingMacsPerImage(B);
    const proxy = cost.pixelProxyMacsPerImage(B);
    if (macs > 0 && Number.isFinite(macs) && proxy > 0 && Number.isFinite(proxy)) return { ok: true, macs, proxy };
    return { ok: false, error: `the cost model gives ${macs} MACs per image` };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function resolutionProblem(stage: PlannedStage, reason: 'not-positive' | 'above-full' | 'none-valid', full: number, exp: ExperimentDef): Diagnostic {
  const span = stage.origins.resolution ?? stage.span;
  const asked = formatPixels(stage.resolution);
  const origin = stage.resolutionOrigin ? ` (${stage.resolutionOrigin})` : '';
  switch (reason) {
    case 'not-positive':
      return makeDiagnostic('EFT0307', 'error', `stage ${stage.index} asks for ${asked}${origin}: a resolution must be positive`, { span, label: 'no pixels' });
    case 'above-full':
      return makeDiagnostic('EFT0307', 'error', `stage ${stage.index} asks for ${asked}${origin}, above the data set's full resolution of ${full}px`, {
        span,
        label: `more than ${full}px`,
        notes: [`low-pass methods shrink images; \`${exp.dataset.name}\` is ${full}px`],
        help: [`use at most ${full}px (or 100%)`],
      });
    case 'none-valid':
      return makeDiagnostic('EFT0307', 'error', `stage ${stage.index} asks for ${asked}${origin}, but no size up to ${formatCount(full)}px suits the model and the ${stage.lowPass} low-pass`, {
        span,
        label: 'no valid size',
      });
  }
}
