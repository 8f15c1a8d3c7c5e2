/**
 * The error type of the run registry: a database file that cannot be opened, created,
 * migrated or written. The message starts with the file and then says what is wrong, so
 * it can be shown to a user as it is.
 */
export class RegistryError extends Error {
  /** The registry file at fault. */
  readonly file: string;
  /** What is wrong, without the path. */
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'RegistryError';
    this.file = file;
    this.reason = reason;
  }
}
