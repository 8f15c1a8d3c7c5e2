// Where the registry lives unless told otherwise; kept apart so that the command line can
// name it without loading SQLite.
import { join } from 'node:path';

/** Relative to the working directory. */
export const DEFAULT_REGISTRY_PATH = join('runs', 'eft.sqlite');
