/**
 * Opening a registry file: creating its folder and file, switching SQLite to WAL with
 * foreign keys and a busy timeout, and bringing the schema up to date. Every failure becomes
 * a RegistryError that names the file and the cause.
 */
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RegistryError } from './errors.js';
import { migrate, schemaVersion, type Migration, MIGRATIONS } from './migrations.js';

/** How long a writer waits for another process's lock before giving up. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

const FILE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOSPC: 'no space left on the device',
};

function describeFileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && FILE_ERRORS[code]) ?? (err as Error).message;
}

/** Turns an error of SQLite into the cause a user can act on. */
export function describeSqliteError(err: unknown): string {
  const code = String((err as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_NOTADB') return 'not an SQLite database (the file is damaged or holds something else)';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the database is corrupt';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot open the database file (check that its folder exists and is writable)';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only (check the permissions of the file and its folder)';
  if (code === 'SQLITE_FULL') return 'no space left on the device';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_IOERR')) return `input/output error (${code})`;
  return (err as Error).message;
}

/** Creates the folder and an empty file when missing, so that an unwritable place is reported with its real cause. */
function ensureFile(file: string): void {
  const folder = dirname(file);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw new RegistryError(file, `cannot create the folder ${folder}: ${describeFileError(err)}`);
  }
  try {
    // Append mode creates a missing file and leaves an existing one untouched; SQLite takes an empty file as a new database.
    writeFileSync(file, '', { flag: 'a' });
  } catch (err) {
    throw new RegistryError(file, `cannot write the registry file: ${describeFileError(err)}`);
  }
}

/** A file that SQLite opens but that holds tables of something other than eft. */
function checkIsRegistry(db: Database.Database, file: string): void {
  if (schemaVersion(db) !== 0) return;
  const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
  if (tables.n > 0) throw new RegistryError(file, 'an SQLite database, but not an eft run registry (it has tables and no eft schema version)');
}

export interface OpenDatabaseOptions {
  busyTimeoutMs?: number;
  /** The schema versions to bring the file to; tests pass their own list. */
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  ensureFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new RegistryError(file, describeSqliteError(err));
  }
  try {
    // The first statement is where SQLite reads the header and notices a file that is not a database.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new RegistryError(file, `cannot switch the database to write-ahead logging (journal mode stays ${String(mode)})`);
    db.pragma('foreign_keys = ON');
    checkIsRegistry(db, file);
    migrate(db, file, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof RegistryError) throw err;
    throw new RegistryError(file, describeSqliteError(err));
  }
}
