/**
 * Names of the files in a checkpoint folder. A checkpoint is `step-<12 digits>.ckpt`, or
 * `step-<12 digits>.stage-end.ckpt` when it closes a stage, so that names sort by step and
 * pruning needs no file to be read. A save in progress writes
 * `.<final name>.<pid>-<random>.tmp` next to it; the pid tells whether its writer still lives.
 */
import { randomBytes } from 'node:crypto';

const CHECKPOINT_NAME = /^step-(\d{12})(\.stage-end)?\.ckpt$/;
const TEMP_NAME = /^\.step-\d{12}(?:\.stage-end)?\.ckpt\.(\d+)-[0-9a-f]+\.tmp$/;

export interface CheckpointName {
  name: string;
  step: number;
  stageEnd: boolean;
}

export function checkpointFileName(step: number, stageEnd: boolean): string {
  return `step-${String(step).padStart(12, '0')}${stageEnd ? '.stage-end' : ''}.ckpt`;
}

export function parseCheckpointFileName(name: string): CheckpointName | undefined {
  const match = CHECKPOINT_NAME.exec(name);
  return match ? { name, step: Number(match[1]), stageEnd: match[2] !== undefined } : undefined;
}

export function tempFileName(finalName: string, pid: number = process.pid): string {
  return `.${finalName}.${pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** The pid of the process that wrote a temporary file, or undefined for other names. */
export function tempFileWriter(name: string): number | undefined {
  const match = TEMP_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Newest first: higher step first, and at the same step the stage-end checkpoint first. */
export function newestFirst(a: CheckpointName, b: CheckpointName): number {
  return b.step - a.step || Number(b.stageEnd) - Number(a.stageEnd);
}
