// Stages written out by range must tile the run: start at 0, follow each other without gap
// or overlap, and (on the compute clock) end at 100%.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { StageDecl } from '../experiment.js';
import type { Clock } from './plan-types.js';
import { formatBound } from './stage-settings.js';

const EPS = 1e-9;

type RangeDecl = StageDecl & { selector: { kind: 'range'; start: number; end: number } };

export function isRangeDecl(d: StageDecl): d is RangeDecl {
  return d.selector.kind === 'range';
}

/** EFT0303 problems of range stages; the stages sorted by start when there are none. */
export function tileStages(decls: readonly RangeDecl[], clock: Clock, report: (d: Diagnostic) => void): RangeDecl[] | undefined {
  const sorted = [...decls].sort((a, b) => a.selector.start - b.selector.start);
  const fmt = (x: number) => formatBound(x, clock);
  const range = (d: RangeDecl) => `\`${fmt(d.selector.start)} .. ${fmt(d.selector.end)}\``;
  let ok = true;
  const fail = (d: Diagnostic) => {
    ok = false;
    report(d);
  };
  if (clock === 'compute') {
    for (const d of sorted) {
      if (d.selector.end > 1 + EPS) {
        fail(
          makeDiagnostic('EFT0303', 'error', `stage ${range(d)} goes beyond 100% of the compute`, {
            span: d.span,
            label: 'past the end of the run',
            help: d.selector.end > 1.5 ? ['stages in epochs need `over epochs` in the curriculum block'] : ['compute ranges lie within 0% .. 100%'],
          }),
        );
      }
    }
    if (!ok) return undefined;
  }
  const first = sorted[0];
  if (first.selector.start > EPS) {
    fail(
      makeDiagnostic('EFT0303', 'error', `the stages start at ${fmt(first.selector.start)}: nothing runs from ${fmt(0)} to ${fmt(first.selector.start)}`, {
        span: first.span,
        label: 'first stage',
        help: [`start the first stage at ${fmt(0)}`],
      }),
    );
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const next = sorted[i];
    const gap = next.selector.start - prev.selector.end;
    if (gap > EPS * Math.max(1, prev.selector.end)) {
      fail(
        makeDiagnostic('EFT0303', 'error', `gap between stages: nothing runs from ${fmt(prev.selector.end)} to ${fmt(next.selector.start)}`, {
          span: next.span,
          label: `starts at ${fmt(next.selector.start)}`,
          related: [{ span: prev.span, message: `the stage before ends at ${fmt(prev.selector.end)}` }],
          help: [`start this stage at ${fmt(prev.selector.end)}, or end the one before at ${fmt(next.selector.start)}`],
        }),
      );
    } else if (-gap > EPS * Math.max(1, prev.selector.end)) {
      fail(
        makeDiagnostic('EFT0303', 'error', `stages overlap from ${fmt(next.selector.start)} to ${fmt(Math.min(prev.selector.end, next.selector.end))}`, {
          span: next.span,
          label: `starts at ${fmt(next.selector.start)}`,
          related: [{ span: prev.span, message: `the stage before runs until ${fmt(prev.selector.end)}` }],
          help: [`start this stage at ${fmt(prev.selector.end)}, or end the one before at ${fmt(next.selector.start)}`],
        }),
      );
    }
  }
  const last = sorted[sorted.length - 1];
  if (clock === 'compute' && last.selector.end < 1 - EPS) {
    fail(
      makeDiagnostic('EFT0303', 'error', `the stages end at ${fmt(last.selector.end)}: nothing runs from ${fmt(last.selector.end)} to 100%`, {
        span: last.span,
        label: 'last stage',
        help: ['end the last stage at 100%; the budget (equivalent epochs) sets how much compute 100% is'],
      }),
    );
  }
  return ok ? sorted : undefined;
}
