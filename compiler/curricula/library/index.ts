// The library curricula by name.
import { efficienttrain } from './efficienttrain.js';
import { efficienttrainPP } from './efficienttrain-pp.js';
import { ffcvRamp } from './ffcv-ramp.js';
import { linearRamp } from './linear-ramp.js';
import type { LibraryCurriculum } from './types.js';

export const LIBRARY: ReadonlyMap<string, LibraryCurriculum> = new Map(
  [efficienttrain, efficienttrainPP, linearRamp, ffcvRamp].map((c) => [c.name, c]),
);

/** Names a curriculum may have: the library's, plus `none` (the baseline recipe). */
export const CURRICULUM_NAMES: readonly string[] = [...LIBRARY.keys(), 'none'];
