import { limitRule } from '../../curricula/limit-rule.js';

/** EFT0315: the run's wall-clock time on the declared devices exceeds a `wall_time` limit. */
export const rule = limitRule('wall-time', 'EFT0315', 'wall_time');
