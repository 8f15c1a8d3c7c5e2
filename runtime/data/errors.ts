/**
 * The one error type of the data layer: a file (or folder) that is missing,
 * unreadable or not what it claims to be. The message always starts with the path
 * and then says what is wrong, so it can be shown to a user as it is.
 */
export class DataError extends Error {
  /** The file or folder at fault. */
  readonly file: string;
  /** What is wrong with it, without the path. */
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'DataError';
    this.file = file;
    this.reason = reason;
  }
}
