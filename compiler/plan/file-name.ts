// Plan file names: `<experiment>.plan.json`, and for a sweep point
// `<sweep>--<axis>-<value>--<axis>-<value>.plan.json` with the axes in the order they are
// written. Only letters, digits, `.`, `_` and `-` survive; anything else becomes `_`.
import type { ExperimentDef } from '../experiment.js';

export const PLAN_FILE_SUFFIX = '.plan.json';

function safe(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return cleaned === '' ? '_' : cleaned;
}

export function planFileName(experiment: Pick<ExperimentDef, 'name' | 'sweep'>): string {
  if (!experiment.sweep) return `${safe(experiment.name)}${PLAN_FILE_SUFFIX}`;
  const axes = Object.entries(experiment.sweep.point).map(([axis, value]) => `--${safe(axis)}-${safe(String(value))}`);
  return `${safe(experiment.sweep.name)}${axes.join('')}${PLAN_FILE_SUFFIX}`;
}
