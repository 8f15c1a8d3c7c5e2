// Expands a per-stage value (one value, a list with one value per stage, or a ramp
// `a -> b [in S steps]`) to one number per stage. A ramp of S steps takes S evenly spaced
// levels from a to b (both included) and gives each level to an equal run of stages
// (stage i of n gets level floor(i·S/n)); without `in S steps` every stage is a step.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PerStage } from '../experiment.js';

export function expandPerStage<T>(ps: PerStage<T>, n: number, toNumber: (v: T) => number, what: string, report: (d: Diagnostic) => void): number[] | undefined {
  switch (ps.kind) {
    case 'constant':
      return new Array<number>(n).fill(toNumber(ps.value));
    case 'list':
      if (ps.values.length !== n) {
        report(
          makeDiagnostic('EFT0305', 'error', `\`${what}\` lists ${ps.values.length} value${ps.values.length === 1 ? '' : 's'} but the curriculum has ${n} stage${n === 1 ? '' : 's'}`, {
            span: ps.span,
            label: `${ps.values.length} value${ps.values.length === 1 ? '' : 's'}`,
            help: ['give one value per stage, a single value for all stages, or a ramp `a -> b`'],
          }),
        );
        return undefined;
      }
      return ps.values.map(toNumber);
    case 'ramp': {
      const steps = ps.steps ?? n;
      if (steps > n) {
        report(
          makeDiagnostic('EFT0305', 'error', `\`${what}\` ramps in ${steps} steps but the curriculum has only ${n} stage${n === 1 ? '' : 's'}`, {
            span: ps.span,
            label: `${steps} steps`,
            help: [`use at most ${n} steps, or leave out \`in ... steps\` for one step per stage`],
          }),
        );
        return undefined;
      }
      const from = toNumber(ps.from);
      const to = toNumber(ps.to);
      const level = (j: number) => (steps === 1 ? from : from + ((to - from) * j) / (steps - 1));
      return Array.from({ length: n }, (_, i) => level(Math.floor((i * steps) / n)));
    }
  }
}

/** How many stages a per-stage value implies on its own: a list's length or a ramp's steps. */
export function impliedStageCount<T>(ps: PerStage<T> | undefined): number | undefined {
  if (!ps) return undefined;
  if (ps.kind === 'list') return ps.values.length;
  if (ps.kind === 'ramp') return ps.steps;
  return undefined;
}
