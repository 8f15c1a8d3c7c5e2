// The learning rate on the compute clock: the fraction of the run's planned training compute
// spent before the step. Linear warm-up from warmup_start_lr to base_lr over
// [0, warmup_fraction], then the shape (cosine, linear or constant) from base_lr to min_lr
// over the rest, as the plan's schedules.lr states.
import type { PlanLrSchedule } from '../../plan/types.js';

export function learningRateAt(schedule: PlanLrSchedule, computeFraction: number): number {
  const f = Math.min(Math.max(computeFraction, 0), 1);
  const { base_lr: base, min_lr: min, warmup_fraction: warmup, warmup_start_lr: start } = schedule;
  if (warmup > 0 && f < warmup) return start + ((base - start) * f) / warmup;
  const progress = warmup >= 1 ? 1 : (f - warmup) / (1 - warmup);
  switch (schedule.shape) {
    case 'cosine':
      return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    case 'linear':
      return base + (min - base) * progress;
    case 'constant':
      return base;
  }
}
