// FFCV-style resolution ramp: epoch e (0-based) trains at min_res while e ≤ start_ramp, at
// max_res once e ≥ end_ramp, and in between at the linear interpolation rounded to a
// multiple of `step` (Python rounding). Consecutive epochs at the same size form one stage.
// Defaults scale FFCV's 88-epoch ResNet-50 configuration (ramp from epoch 65 to 76, 160px to
// 192px there) to the run: start at 65/88 and end at 76/88 of the epochs, from 160/224 of the
// full resolution to the full resolution, in steps of 32/224 of it.
import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { epochsOf } from '../budget-length.js';
import { formatEpochs } from '../format.js';
import { roundHalfEven } from '../rounding.js';
import { numberArg, type BuildContext, type LibraryCurriculum, type LibraryStage } from './types.js';

const FULL_MAGNITUDE = 9;

function span(ctx: BuildContext, ...names: string[]) {
  for (const n of names) if (ctx.args[n]) return ctx.args[n].span;
  return ctx.exp.curriculum.kind === 'library' ? ctx.exp.curriculum.name.span : ctx.exp.span;
}

export function ffcvDefaults(full: number, epochs: number) {
  return {
    start_ramp: Math.round((epochs * 65) / 88),
    end_ramp: Math.round((epochs * 76) / 88),
    min_res: Math.max(1, Math.round((full * 160) / 224)),
    max_res: full,
    step: Math.max(1, Math.round((full * 32) / 224)),
  };
}

export const ffcvRamp: LibraryCurriculum = {
  name: 'ffcv_ramp',
  summary: 'FFCV-style ramp: min_res until start_ramp, linear to max_res at end_ramp in multiples of step',
  args: {
    start_ramp: { kind: 'number', min: 0, max: 1e6, integer: true, unit: 'epochs', example: 'start_ramp: 65ep', doc: 'last epoch at min_res (default 65/88 of the run)' },
    end_ramp: { kind: 'number', min: 0, max: 1e6, integer: true, unit: 'epochs', example: 'end_ramp: 76ep', doc: 'first epoch at max_res (default 76/88 of the run)' },
    min_res: { kind: 'number', min: 1, max: 100_000, integer: true, unit: 'pixels', example: 'min_res: 160px', doc: 'first resolution in pixels (default 160/224 of full)' },
    max_res: { kind: 'number', min: 1, max: 100_000, integer: true, unit: 'pixels', example: 'max_res: 224px', doc: 'last resolution in pixels (default: full)' },
    step: { kind: 'number', min: 1, max: 10_000, integer: true, unit: 'pixels', example: 'step: 32px', doc: 'resolutions on the ramp are multiples of this (default 32/224 of full)' },
    epochs: { kind: 'number', min: 0, minExclusive: true, max: 1e6, unit: 'epochs', example: 'epochs: 88ep', doc: 'length of the run in epochs (default: the baseline epochs)' },
  },
  build(ctx) {
    const length = epochsOf(ctx.exp, ctx.args);
    const d = ffcvDefaults(ctx.full, length.value);
    const startRamp = numberArg(ctx, 'start_ramp') ?? d.start_ramp;
    const endRamp = numberArg(ctx, 'end_ramp') ?? d.end_ramp;
    const minRes = numberArg(ctx, 'min_res') ?? d.min_res;
    const maxRes = numberArg(ctx, 'max_res') ?? d.max_res;
    const step = numberArg(ctx, 'step') ?? d.step;
    let ok = true;
    const fail = (message: string, at: string[], label: string, help: string) => {
      ok = false;
      ctx.report(makeDiagnostic('EFT0304', 'error', message, { span: span(ctx, ...at), label, help: [help] }));
    };
    if (minRes > maxRes) fail(`ffcv_ramp ramps down: min_res ${minRes}px is larger than max_res ${maxRes}px`, ['min_res', 'max_res'], 'min_res above max_res', 'swap them, or raise max_res');
    if (endRamp < startRamp) fail(`ffcv_ramp ends before it starts: end_ramp is epoch ${endRamp} but start_ramp is epoch ${startRamp}`, ['end_ramp', 'start_ramp'], 'end before start', 'make end_ramp at least start_ramp');
    if (endRamp > length.value) {
      fail(`ffcv_ramp never reaches max_res: end_ramp is epoch ${endRamp} but the run has ${formatEpochs(length.value)} epochs`, ['end_ramp', 'epochs'], 'after the last epoch', `end the ramp by epoch ${Math.floor(length.value)}`);
    }
    if (!ok) return undefined;
    return { clock: 'epochs', lowPass: 'area', budgetSource: length.source, stages: ffcvStages(length.value, startRamp, endRamp, minRes, maxRes, step) };
  },
};

/** FFCV's get_resolution for one epoch. */
export function ffcvResolution(epoch: number, startRamp: number, endRamp: number, minRes: number, maxRes: number, step: number): number {
  if (epoch <= startRamp) return minRes;
  if (epoch >= endRamp) return maxRes;
  const interp = minRes + ((epoch - startRamp) / (endRamp - startRamp)) * (maxRes - minRes);
  return roundHalfEven(interp / step) * step;
}

/** One stage per run of consecutive epochs at the same resolution; a fractional last epoch is kept. */
export function ffcvStages(epochs: number, startRamp: number, endRamp: number, minRes: number, maxRes: number, step: number): LibraryStage[] {
  const stages: LibraryStage[] = [];
  for (let e = 0; e < epochs; e++) {
    const res = ffcvResolution(e, startRamp, endRamp, minRes, maxRes, step);
    const end = Math.min(e + 1, epochs);
    const last = stages[stages.length - 1];
    if (last && last.resolution === res) last.end = end;
    else stages.push({ start: e, end, resolution: res, m: FULL_MAGNITUDE });
  }
  return stages;
}
