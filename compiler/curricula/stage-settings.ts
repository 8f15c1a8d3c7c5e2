// Applies what the user wrote to planned stages: curriculum-wide settings (one value, a list
// or a ramp per stage) and then stage blocks (`stage 3 { ... }`, `stage 0% .. 20% { ... }`),
// which override the settings of the stages they select.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { CurriculumSettings, StageDecl, StageSettings } from '../experiment.js';
import { formatEpochs, formatPercent } from './format.js';
import { expandPerStage } from './per-stage.js';
import type { Clock, PlannedStage } from './plan-types.js';

type Report = (d: Diagnostic) => void;
type ResolutionValue = { pixels: number } | { fraction: number };

function pixelsOf(r: ResolutionValue, full: number): number {
  return 'pixels' in r ? r.pixels : r.fraction * full;
}

function originOf(r: ResolutionValue, full: number): string | undefined {
  return 'fraction' in r ? `${formatPercent(r.fraction, 2)} of ${full}px` : undefined;
}

/** Applies curriculum-wide settings; false when a per-stage value does not fit the stages (reported). */
export function applyCurriculumSettings(stages: PlannedStage[], settings: CurriculumSettings, full: number, report: Report): boolean {
  const n = stages.length;
  let ok = true;
  const each = <T>(ps: import('../experiment.js').PerStage<T> | undefined, toNumber: (v: T) => number, what: string, apply: (s: PlannedStage, v: number) => void) => {
    if (!ps) return;
    const values = expandPerStage(ps, n, toNumber, what, report);
    if (!values) {
      ok = false;
      return;
    }
    stages.forEach((s, i) => apply(s, values[i]));
  };
  if (settings.resolution) {
    const ps = settings.resolution;
    const constantOrigin = ps.kind === 'constant' ? originOf(ps.value, full) : undefined;
    each(ps, (r) => pixelsOf(r, full), 'resolution', (s, v) => {
      s.resolution = v;
      s.resolutionOrigin = constantOrigin;
      s.origins.resolution = ps.span;
    });
  }
  if (settings.lowPass) {
    const lp = settings.lowPass;
    for (const s of stages) {
      s.lowPass = lp.value;
      s.origins.lowPass = lp.span;
    }
  }
  each(settings.randaugmentM, (m) => m, 'randaugment.m', (s, v) => {
    s.randaugment.m = v;
    s.origins.m = settings.randaugmentM!.span;
  });
  for (const [field, located] of [
    ['n', settings.randaugmentN],
    ['mstd', settings.randaugmentMstd],
  ] as const) {
    if (!located) continue;
    for (const s of stages) {
      s.randaugment[field] = located.value;
      s.origins[field] = located.span;
    }
  }
  each(settings.replayR, (r) => r, 'replay.r', (s, v) => {
    s.replay.r = Math.round(v);
    s.origins.r = settings.replayR!.span;
  });
  each(settings.replayK, (k) => k, 'replay.k', (s, v) => {
    s.replay.k = Math.round(v);
    s.origins.k = settings.replayK!.span;
  });
  return ok;
}

/** Applies one stage block's settings to a stage. */
export function applyStageSettings(stage: PlannedStage, settings: StageSettings, full: number): void {
  if (settings.resolution) {
    stage.resolution = pixelsOf(settings.resolution.value, full);
    stage.resolutionOrigin = originOf(settings.resolution.value, full);
    stage.origins.resolution = settings.resolution.span;
  }
  if (settings.lowPass) {
    stage.lowPass = settings.lowPass.value;
    stage.origins.lowPass = settings.lowPass.span;
  }
  if (settings.randaugment) {
    const ra = settings.randaugment.value;
    for (const field of ['m', 'n', 'mstd'] as const) {
      const v = ra[field];
      if (v === undefined) continue;
      stage.randaugment[field] = v;
      stage.origins[field] = settings.randaugment.span;
    }
  }
  if (settings.replay) {
    const rp = settings.replay.value;
    if (rp.r !== undefined) {
      stage.replay.r = rp.r;
      stage.origins.r = settings.replay.span;
    }
    if (rp.k !== undefined) {
      stage.replay.k = rp.k;
      stage.origins.k = settings.replay.span;
    }
  }
  if (settings.batchSplit) {
    stage.batchSplit = { ...settings.batchSplit.value };
    stage.origins.batchSplit = settings.batchSplit.span;
  }
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export function formatBound(x: number, clock: Clock): string {
  return clock === 'compute' ? formatPercent(x, 2) : `${formatEpochs(x)}ep`;
}

/** The stages a stage block selects; undefined (reported) when it selects none exactly. */
function selectStages(stages: PlannedStage[], decl: StageDecl, clock: Clock, curriculum: string, report: Report): PlannedStage[] | undefined {
  const n = stages.length;
  if (decl.selector.kind === 'index') {
    const i = decl.selector.index;
    if (!Number.isInteger(i) || i < 1 || i > n) {
      report(
        makeDiagnostic('EFT0305', 'error', `stage ${i} does not exist: ${curriculum} has ${n} stage${n === 1 ? '' : 's'}`, {
          span: decl.span,
          label: 'no such stage',
          help: [`stages are numbered 1 to ${n}`],
        }),
      );
      return undefined;
    }
    return [stages[i - 1]];
  }
  const { start, end } = decl.selector;
  const inside = stages.filter((s) => (s.start > start || near(s.start, start)) && (s.end < end || near(s.end, end)));
  const aligned = inside.length > 0 && near(inside[0].start, start) && near(inside[inside.length - 1].end, end);
  if (!aligned) {
    const bounds = [...new Set([...stages.map((s) => s.start), stages[n - 1].end])].map((b) => formatBound(b, clock));
    const shown = bounds.length > 12 ? [...bounds.slice(0, 6), '...', ...bounds.slice(-3)] : bounds;
    report(
      makeDiagnostic('EFT0305', 'error', `\`stage ${formatBound(start, clock)} .. ${formatBound(end, clock)}\` does not line up with the stages of ${curriculum}`, {
        span: decl.span,
        label: 'not a whole number of stages',
        notes: [`its stage bounds are ${shown.join(', ')}`],
        help: ['select whole stages by their bounds, or by number (`stage 2 { ... }`)'],
      }),
    );
    return undefined;
  }
  return inside;
}

/** Applies stage blocks in order (a later block wins); false when one selects no stage exactly (reported). */
export function applyStageOverrides(stages: PlannedStage[], decls: readonly StageDecl[], clock: Clock, full: number, curriculum: string, report: Report): boolean {
  let ok = true;
  for (const decl of decls) {
    const targets = selectStages(stages, decl, clock, curriculum, report);
    if (!targets) {
      ok = false;
      continue;
    }
    for (const t of targets) applyStageSettings(t, decl.settings, full);
  }
  return ok;
}
