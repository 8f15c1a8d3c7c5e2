import type { CodeInfo } from './types.js';

/** The plan codes by what they are about, for the code that reports them. */
export const PLAN_CODE = {
  /** The compiler produced a plan that fails the plan schema: a bug in eft. */
  emittedPlanInvalid: 'EFT0401',
  /** Two experiments would be written to the same plan file. */
  planNameCollision: 'EFT0402',
  /** `eft compile` found nothing to compile. */
  nothingToCompile: 'EFT0403',
  /** `--experiment NAME` names no experiment of the file. */
  unknownExperiment: 'EFT0404',
  /** `-o FILE.json` given for several experiments. */
  singleFileForSeveralPlans: 'EFT0405',
  /** A plan file could not be written. */
  planNotWritten: 'EFT0406',
  /** A plan file is missing or unreadable. */
  planUnreadable: 'EFT0410',
  /** A plan file is not JSON. */
  planNotJson: 'EFT0411',
  /** A plan's plan_version is not one this eft reads. */
  planVersionUnknown: 'EFT0412',
  /** A plan does not match the plan schema. */
  planSchemaViolation: 'EFT0413',
  /** A plan's parts contradict each other (stage order, ranges, repeated values). */
  planInconsistent: 'EFT0414',
  /** A plan's content does not match its plan_sha256. */
  planHashMismatch: 'EFT0415',
  /** An edited plan was accepted because --allow-edited was given. */
  planEditedAccepted: 'EFT0416',
} as const;

export type PlanCode = (typeof PLAN_CODE)[keyof typeof PLAN_CODE];

export const PLAN_CODES: readonly CodeInfo[] = [
  { code: PLAN_CODE.emittedPlanInvalid, severity: 'error', title: 'internal error: the emitted plan fails the plan schema' },
  { code: PLAN_CODE.planNameCollision, severity: 'error', title: 'two experiments would be written to the same plan file' },
  { code: PLAN_CODE.nothingToCompile, severity: 'error', title: 'the file declares no complete experiment to compile' },
  { code: PLAN_CODE.unknownExperiment, severity: 'error', title: '--experiment names no experiment of the file' },
  { code: PLAN_CODE.singleFileForSeveralPlans, severity: 'error', title: 'a single .json output file for several experiments' },
  { code: PLAN_CODE.planNotWritten, severity: 'error', title: 'a plan file could not be written' },
  { code: PLAN_CODE.planUnreadable, severity: 'error', title: 'plan file missing or unreadable' },
  { code: PLAN_CODE.planNotJson, severity: 'error', title: 'plan file is not valid JSON' },
  { code: PLAN_CODE.planVersionUnknown, severity: 'error', title: 'unknown plan_version' },
  { code: PLAN_CODE.planSchemaViolation, severity: 'error', title: 'plan does not match the plan schema' },
  { code: PLAN_CODE.planInconsistent, severity: 'error', title: 'plan contradicts itself' },
  { code: PLAN_CODE.planHashMismatch, severity: 'error', title: 'plan content does not match its plan_sha256' },
  { code: PLAN_CODE.planEditedAccepted, severity: 'warning', title: 'edited plan accepted with --allow-edited' },
];
