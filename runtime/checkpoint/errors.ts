/**
 * A checkpoint file that cannot be written or read back: missing, truncated, damaged or not
 * a checkpoint at all. The message starts with the file and then says what is wrong.
 */
export class CheckpointError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'CheckpointError';
    this.file = file;
    this.reason = reason;
  }
}
