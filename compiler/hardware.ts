// Built-in hardware profiles and the time a run takes on them. Peaks are NVIDIA's dense
// (no structured sparsity) FP16/BF16 tensor-core figures, the precision mixed-precision
// training runs its matrix products in; docs/curricula.md lists the sources.
import { closestName } from '../diagnostics/suggest.js';
import type { ExperimentDef, HardwareDef } from './experiment.js';

export interface HardwareProfile {
  /** Name used in sources: `a100`. */
  name: string;
  /** `NVIDIA A100 (SXM4)` */
  title: string;
  /** Peak dense FP16/BF16 tensor-core throughput in TFLOP/s (10¹² floating-point operations per second). */
  peakTflops: number;
  /** What the peak counts, for notes. */
  precision: string;
}

export const HARDWARE_PROFILES: readonly HardwareProfile[] = [
  { name: 'v100', title: 'NVIDIA V100 (SXM2)', peakTflops: 125, precision: 'dense FP16 tensor core' },
  { name: 'a100', title: 'NVIDIA A100 (SXM4)', peakTflops: 312, precision: 'dense BF16/FP16 tensor core' },
  { name: 'h100', title: 'NVIDIA H100 (SXM5)', peakTflops: 989, precision: 'dense BF16/FP16 tensor core' },
  { name: 'rtx3090', title: 'NVIDIA GeForce RTX 3090', peakTflops: 71, precision: 'dense FP16 tensor core with FP32 accumulate' },
];

const byName = new Map(HARDWARE_PROFILES.map((p) => [p.name, p]));

export const PROFILE_NAMES: readonly string[] = HARDWARE_PROFILES.map((p) => p.name);

/** The profile of a name as written (case and `-`/`_` ignored: `RTX-3090` is `rtx3090`). */
export function findProfile(name: string): HardwareProfile | undefined {
  return byName.get(name.toLowerCase().replace(/[-_\s]/g, ''));
}

export function suggestProfile(name: string): string | undefined {
  return closestName(name, PROFILE_NAMES);
}

/** Floating-point operations of training: each multiply-accumulate is two. */
export function trainingFlops(trainingMacs: number): number {
  return 2 * trainingMacs;
}

/** Sustained FLOP/s of one device at a utilisation of its peak. */
export function sustainedFlops(profile: HardwareProfile, utilisation: number): number {
  return profile.peakTflops * 1e12 * utilisation;
}

/** Device-hours: training FLOPs / (peak × utilisation) / 3600. */
export function deviceHours(trainingMacs: number, profile: HardwareProfile, utilisation: number): number {
  return trainingFlops(trainingMacs) / sustainedFlops(profile, utilisation) / 3600;
}

/** Wall-clock hours with the work split evenly over `devices`. */
export function wallHours(trainingMacs: number, profile: HardwareProfile, utilisation: number, devices: number): number {
  return deviceHours(trainingMacs, profile, utilisation) / devices;
}

/** Images one device trains on per second when each costs `trainingMacsPerImage`. */
export function imagesPerSecond(trainingMacsPerImage: number, profile: HardwareProfile, utilisation: number): number {
  return sustainedFlops(profile, utilisation) / trainingFlops(trainingMacsPerImage);
}

/** The hardware an experiment's budget assumes: its `hardware { }` block, else that of its first limit on a known profile. */
export function budgetHardware(exp: ExperimentDef): { profile: HardwareProfile; hardware: HardwareDef } | undefined {
  const declared = exp.budget.hardware;
  const declaredProfile = declared && findProfile(declared.profile.value);
  if (declared && declaredProfile) return { profile: declaredProfile, hardware: declared };
  for (const limit of exp.budget.limits) {
    const profile = findProfile(limit.hardware.profile.value);
    if (profile) return { profile, hardware: limit.hardware };
  }
  return undefined;
}
