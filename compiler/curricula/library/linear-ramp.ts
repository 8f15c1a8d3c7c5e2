// Composer-style progressive resizing: the input starts at initial_scale of the full size,
// stays there for delay_fraction of training, grows linearly to full size, and the last
// finetune_fraction of training runs at full size. Sizes are pinned to multiples of
// size_increment (Python rounding), so the size is a step function of training time: each
// step becomes one stage, with its boundaries at the exact time the pinned size changes.
// The clock is training time in epochs, as in Composer.
import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { epochsOf } from '../budget-length.js';
import { formatPercent } from '../format.js';
import { roundHalfEven } from '../rounding.js';
import { numberArg, type BuildContext, type LibraryCurriculum, type LibraryStage } from './types.js';

export const LINEAR_RAMP_DEFAULTS = { initial_scale: 0.5, delay_fraction: 0.5, finetune_fraction: 0.2, size_increment: 4 } as const;

/** Training MACs rise only with the size, so the default magnitude stays at the full recipe's. */
const FULL_MAGNITUDE = 9;

function argSpan(ctx: BuildContext, ...names: string[]) {
  for (const n of names) if (ctx.args[n]) return ctx.args[n].span;
  return ctx.exp.curriculum.kind === 'library' ? ctx.exp.curriculum.name.span : ctx.exp.span;
}

export const linearRamp: LibraryCurriculum = {
  name: 'linear_ramp',
  summary: 'Composer-style progressive resizing: a delay at initial_scale, a linear ramp, a fine-tune at full size',
  args: {
    initial_scale: { kind: 'number', min: 0, minExclusive: true, max: 1, unit: 'fraction', example: 'initial_scale: 50%', doc: 'starting size as a fraction of the full size (default 50%)' },
    delay_fraction: { kind: 'number', min: 0, max: 1, unit: 'fraction', example: 'delay_fraction: 50%', doc: 'share of training at the initial size (default 50%)' },
    finetune_fraction: { kind: 'number', min: 0, max: 1, unit: 'fraction', example: 'finetune_fraction: 20%', doc: 'share of training at full size at the end (default 20%)' },
    size_increment: { kind: 'number', min: 1, max: 10_000, integer: true, unit: 'pixels', example: 'size_increment: 4px', doc: 'sizes are multiples of this (default 4px)' },
    epochs: { kind: 'number', min: 0, minExclusive: true, max: 1e6, unit: 'epochs', example: 'epochs: 300ep', doc: 'length of the run in epochs (default: the baseline epochs)' },
  },
  build(ctx) {
    const s0 = numberArg(ctx, 'initial_scale') ?? LINEAR_RAMP_DEFAULTS.initial_scale;
    const delay = numberArg(ctx, 'delay_fraction') ?? LINEAR_RAMP_DEFAULTS.delay_fraction;
    const finetune = numberArg(ctx, 'finetune_fraction') ?? LINEAR_RAMP_DEFAULTS.finetune_fraction;
    const inc = numberArg(ctx, 'size_increment') ?? LINEAR_RAMP_DEFAULTS.size_increment;
    const length = epochsOf(ctx.exp, ctx.args);
    const full = ctx.full;
    let ok = true;
    if (delay + finetune >= 1) {
      ok = false;
      ctx.report(
        makeDiagnostic('EFT0304', 'error', `linear_ramp has no room to ramp: delay_fraction ${formatPercent(delay)} + finetune_fraction ${formatPercent(finetune)} = ${formatPercent(delay + finetune)}, but they must add up to less than 100%`, {
          span: argSpan(ctx, 'delay_fraction', 'finetune_fraction'),
          label: 'leaves no time for the ramp',
          notes: ['the ramp lasts 100% - delay_fraction - finetune_fraction of training, and its slope divides by that length'],
          help: ['shorten the delay or the fine-tune, e.g. `delay_fraction: 40%, finetune_fraction: 20%`; for a single jump to full size write a custom curriculum with two stages'],
        }),
      );
    }
    const k0 = roundHalfEven((full * s0) / inc);
    if (k0 <= 0) {
      ok = false;
      ctx.report(
        makeDiagnostic('EFT0304', 'error', `linear_ramp starts at 0px: initial_scale ${formatPercent(s0)} of ${full}px is ${trim((full * s0))}px, which rounds to 0px in steps of size_increment ${inc}px`, {
          span: argSpan(ctx, 'initial_scale', 'size_increment'),
          label: 'starting size rounds to 0px',
          help: [`raise initial_scale to at least ${formatPercent(Math.min(1, (0.5 * inc) / full))}, or lower size_increment`],
        }),
      );
    }
    if (!ok) return undefined;
    return { clock: 'epochs', lowPass: 'bilinear', budgetSource: length.source, stages: composerStages(full, s0, delay, finetune, inc, length.value) };
  },
};

function trim(x: number): string {
  return String(Number(x.toFixed(2)));
}

/**
 * The stages of Composer's schedule. The pinned width is round(full·s/inc)·inc with s rising
 * linearly from s0 at time `delay` to 1 at time 1 − finetune; it reaches level k (width k·inc)
 * when full·s/inc passes k − ½. A pinned width at or above full means no resizing.
 */
export function composerStages(full: number, s0: number, delay: number, finetune: number, inc: number, epochs: number): LibraryStage[] {
  const k0 = roundHalfEven((full * s0) / inc);
  const k1 = roundHalfEven(full / inc);
  const widthOf = (k: number) => Math.min(k * inc, full);
  const ramp = 1 - finetune - delay;
  const times: { t: number; width: number }[] = [{ t: 0, width: widthOf(k0) }];
  if (s0 < 1) {
    for (let k = k0 + 1; k <= k1; k++) {
      const s = ((k - 0.5) * inc) / full;
      const t = delay + ((s - s0) / (1 - s0)) * ramp;
      times.push({ t: Math.min(1, Math.max(0, t)), width: widthOf(k) });
    }
  }
  const stages: LibraryStage[] = [];
  for (let i = 0; i < times.length; i++) {
    const start = times[i].t;
    const end = i + 1 < times.length ? times[i + 1].t : 1;
    if (end <= start) continue;
    const last = stages[stages.length - 1];
    if (last && last.resolution === times[i].width) {
      last.end = end * epochs;
      continue;
    }
    stages.push({ start: start * epochs, end: end * epochs, resolution: times[i].width, m: FULL_MAGNITUDE });
  }
  return stages;
}
