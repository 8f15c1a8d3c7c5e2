/**
 * Schema versions of the registry. The version lives in `PRAGMA user_version`; migration i
 * (0-based) turns a version-i database into version i + 1. Opening an older database runs
 * the missing migrations, each in its own transaction; a database from a newer eft, whose
 * version this list does not reach, is refused rather than guessed at.
 */
import type { Database } from 'better-sqlite3';
import { RegistryError } from './errors.js';

export type Migration = (db: Database) => void;

const createTables: Migration = (db) => {
  db.exec(`
    CREATE TABLE runs (
      id            TEXT PRIMARY KEY,
      experiment    TEXT NOT NULL,
      model         TEXT NOT NULL,
      dataset       TEXT NOT NULL,
      curriculum    TEXT NOT NULL,
      plan_hash     TEXT NOT NULL,
      plan_path     TEXT,
      plan_json     TEXT NOT NULL,
      seed          INTEGER NOT NULL,
      backend       TEXT NOT NULL,
      host          TEXT NOT NULL,
      eft_version   TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
      started_at    TEXT NOT NULL,
      ended_at      TEXT,
      error         TEXT,
      resumed_from  TEXT REFERENCES runs(id) ON DELETE SET NULL
    );
    CREATE INDEX runs_by_experiment ON runs(experiment, started_at);
    CREATE INDEX runs_by_plan_hash ON runs(plan_hash);
    CREATE INDEX runs_by_model_dataset ON runs(model, dataset, curriculum, status);

    CREATE TABLE stages (
      run_id                      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      stage_index                 INTEGER NOT NULL CHECK (stage_index >= 0),
      resolution                  INTEGER NOT NULL,
      planned_share               REAL NOT NULL,
      planned_images              INTEGER NOT NULL,
      planned_steps               INTEGER NOT NULL,
      measured_seconds            REAL,
      measured_images_per_second  REAL,
      started_at                  TEXT,
      ended_at                    TEXT,
      PRIMARY KEY (run_id, stage_index)
    );

    CREATE TABLE epoch_metrics (
      id                         INTEGER PRIMARY KEY,
      run_id                     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      stage_index                INTEGER NOT NULL,
      step                       INTEGER NOT NULL,
      epoch                      REAL NOT NULL,
      compute_fraction           REAL NOT NULL,
      train_loss                 REAL,
      val_loss                   REAL,
      val_top1                   REAL,
      val_top1_stage_resolution  REAL,
      lr                         REAL NOT NULL,
      seconds                    REAL NOT NULL
    );
    CREATE INDEX epoch_metrics_by_run ON epoch_metrics(run_id, step);

    CREATE TABLE results (
      run_id            TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      final_top1        REAL,
      final_loss        REAL,
      wall_seconds      REAL NOT NULL,
      images_processed  INTEGER NOT NULL,
      stage_seconds     TEXT NOT NULL
    );
  `);
};

/** Version 2: the id of the process that runs a run, so that a resume can tell a live run from a killed one. */
const addProcessId: Migration = (db) => {
  db.exec('ALTER TABLE runs ADD COLUMN pid INTEGER');
};

/** Every schema version in order; append, never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [createTables, addProcessId];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` to the last version of `migrations`; `file` names the database in errors. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const found = schemaVersion(db);
  if (found > migrations.length) {
    throw new RegistryError(
      file,
      `registry schema version ${found} was written by a newer eft (this eft knows versions up to ${migrations.length}); upgrade eft or use another registry file`,
    );
  }
  for (let version = found; version < migrations.length; version++) {
    const step = db.transaction(() => {
      migrations[version](db);
      db.pragma(`user_version = ${version + 1}`);
    });
    try {
      step();
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw new RegistryError(file, `migration of the registry schema from version ${version} to ${version + 1} failed: ${(err as Error).message}`);
    }
  }
}
