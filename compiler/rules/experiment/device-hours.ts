import { limitRule } from '../../curricula/limit-rule.js';

/** EFT0314: the run's device-hours on the declared hardware exceed a `device_hours` limit. */
export const rule = limitRule('device-hours', 'EFT0314', 'device_hours');
