// Turns a requested stage resolution (pixels at the data set's resolution, possibly
// fractional after scaling a 224px design) into the size the stage uses: the nearest whole
// size the architecture accepts, and an even one when the fft low-pass crops the spectrum
// (its B×B block keeps frequencies −B/2 .. B/2−1). Ties go to the larger size. The full
// resolution is always accepted: it is the data set's own, and the model checks judge it.
import type { LowPassMethod } from '../experiment.js';
import type { ResolutionRounding } from '../schedule.js';
import type { CostModel } from './cost-model.js';
import { formatPixels } from './format.js';

export type ResolutionChoice = { ok: true; chosen: number; rounding?: ResolutionRounding } | { ok: false; reason: 'not-positive' | 'above-full' | 'none-valid' };

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

export function chooseResolution(requested: number, lowPass: LowPassMethod, full: number, cost: CostModel): ResolutionChoice {
  if (!Number.isFinite(requested) || requested <= 0) return { ok: false, reason: 'not-positive' };
  if (near(requested, full)) return { ok: true, chosen: full };
  if (requested > full) return { ok: false, reason: 'above-full' };
  const needsEven = lowPass === 'fft';
  const accepts = (c: number) => c === full || ((!needsEven || c % 2 === 0) && cost.checkResolution(c).ok);
  const chosen = nearestAccepted(requested, full, accepts);
  if (chosen === undefined) return { ok: false, reason: 'none-valid' };
  if (chosen === requested) return { ok: true, chosen };
  return { ok: true, chosen, rounding: { requested, chosen, reason: roundingReason(requested, chosen, needsEven, full, cost) } };
}

/** Walks outwards from the request, nearer sizes first, the larger of two equally near ones first. */
function nearestAccepted(requested: number, full: number, accepts: (c: number) => boolean): number | undefined {
  let up = Math.ceil(requested);
  let down = up === requested ? up - 1 : Math.floor(requested);
  while (up <= full || down >= 1) {
    const upDistance = up <= full ? up - requested : Infinity;
    const downDistance = down >= 1 ? requested - down : Infinity;
    if (upDistance <= downDistance) {
      if (accepts(up)) return up;
      up++;
    } else {
      if (accepts(down)) return down;
      down--;
    }
  }
  return undefined;
}

function roundingReason(requested: number, chosen: number, needsEven: boolean, full: number, cost: CostModel): string {
  const whole = Math.floor(requested + 0.5);
  const asked = Number.isInteger(requested) ? '' : ` (${formatPixels(requested)} requested)`;
  if (whole === chosen) return `rounded to whole pixels${asked}`;
  const reasons: string[] = [];
  const check = whole === full ? ({ ok: true } as const) : cost.checkResolution(whole);
  if (!check.ok) reasons.push(check.reason);
  else if (needsEven && whole % 2 !== 0) reasons.push(`the fft low-pass needs an even size, and ${whole}px is odd`);
  if (reasons.length === 0) reasons.push(`${whole}px is not accepted`);
  return `${reasons.join('; ')}${asked}`;
}
