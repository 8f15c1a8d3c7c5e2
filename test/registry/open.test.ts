import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openRegistry, RegistryError, type Migration } from '../../runtime/registry/index.js';
import { openDatabase } from '../../runtime/registry/open.js';
import { runInput, tempDir } from './helpers.js';

function assertRegistryError(fn: () => unknown, file: string, reason: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RegistryError, `expected a RegistryError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), err.message);
    assert.match(err.reason, reason);
    return true;
  });
}

/**
 * A folder this process cannot create files in. As root, permission bits do not stop
 * writes, so the folder is made immutable instead (where chattr is available).
 */
function unwritableFolder(): { folder: string; restore: () => void } | undefined {
  const folder = tempDir('eft-readonly-');
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return { folder, restore: () => chmodSync(folder, 0o755) };
  }
  const made = spawnSync('chattr', ['+i', folder]);
  if (made.status !== 0) return undefined;
  return { folder, restore: () => void spawnSync('chattr', ['-i', folder]) };
}

describe('opening a run registry', () => {
  it('turns on write-ahead logging, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(tempDir(), 'eft.sqlite'), { busyTimeoutMs: 1234 });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
      assert.throws(() => db.prepare(`INSERT INTO stages (run_id, stage_index, resolution, planned_share, planned_images, planned_steps) VALUES ('nope', 0, 8, 1, 1, 1)`).run(), /FOREIGN KEY constraint failed/);
    } finally {
      db.close();
    }
  });

  it('reports a file that is not an SQLite database, naming it', () => {
    const file = join(tempDir(), 'eft.sqlite');
    writeFileSync(file, 'experiment,top1\nresnet,71.2\n'.repeat(100));
    assertRegistryError(() => openRegistry(file), file, /^not an SQLite database \(the file is damaged or holds something else\)$/);
  });

  it('reports a folder it cannot write to, naming the file', function () {
    const place = unwritableFolder();
    if (!place) return this.skip();
    const file = join(place.folder, 'eft.sqlite');
    try {
      assertRegistryError(() => openRegistry(file), file, /^cannot write the registry file: (permission denied|operation not permitted)$/);
    } finally {
      place.restore();
    }
  });

  it('reports a path that runs through a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'runs'), 'a file, not a folder');
    const file = join(dir, 'runs', 'eft.sqlite');
    assertRegistryError(() => openRegistry(file), file, /^cannot create the folder .*runs: /);
  });

  it('refuses an SQLite database of something else', () => {
    const file = join(tempDir(), 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    db.close();
    assertRegistryError(() => openRegistry(file), file, /not an eft run registry/);
  });

  it('refuses a registry written by a newer eft', () => {
    const file = join(tempDir(), 'eft.sqlite');
    openRegistry(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    assertRegistryError(
      () => openRegistry(file),
      file,
      new RegExp(`^registry schema version ${MIGRATIONS.length + 1} was written by a newer eft \\(this eft knows versions up to ${MIGRATIONS.length}\\); upgrade eft or use another registry file$`),
    );
  });

  describe('schema migrations', () => {
    const addNotes: Migration = (db) => db.exec('ALTER TABLE runs ADD COLUMN notes TEXT');

    it('brings an older registry up to date and keeps its runs', () => {
      const file = join(tempDir(), 'eft.sqlite');
      const old = openRegistry(file);
      const run = old.startRun(runInput());
      old.close();

      const db = openDatabase(file, { migrations: [...MIGRATIONS, addNotes] });
      try {
        assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length + 1);
        const row = db.prepare('SELECT id, notes FROM runs').get() as { id: string; notes: string | null };
        assert.deepEqual({ ...row }, { id: run.id, notes: null });
      } finally {
        db.close();
      }
    });

    it('reads a version-1 registry, from before process ids were recorded: its runs have none', () => {
      const file = join(tempDir(), 'eft.sqlite');
      openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) }).close();
      const v1 = new Database(file);
      v1.prepare(
        `INSERT INTO runs (id, experiment, model, dataset, curriculum, plan_hash, plan_json, seed, backend, host, eft_version, status, started_at)
         VALUES ('20261128-093012-8000', 'a', 'convnet', 'fashion_mnist', 'none', 'h', '{}', 0, 'cpu', 'elsewhere', '0.1.0', 'running', '2026-11-28T09:30:12.000Z')`,
      ).run();
      v1.close();
      const registry = openRegistry(file);
      try {
        const run = registry.getRun('20261128-093012-8000')?.run;
        assert.equal(run?.pid, null);
        assert.equal(run?.status, 'running');
        assert.equal(registry.startRun(runInput()).pid, 4321);
      } finally {
        registry.close();
      }
    });

    it('leaves the version unchanged when a migration fails', () => {
      const file = join(tempDir(), 'eft.sqlite');
      openRegistry(file).close();
      const broken: Migration = (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        db.exec('ALTER TABLE no_such_table ADD COLUMN y TEXT');
      };
      assertRegistryError(
        () => openDatabase(file, { migrations: [...MIGRATIONS, broken] }),
        file,
        new RegExp(`^migration of the registry schema from version ${MIGRATIONS.length} to ${MIGRATIONS.length + 1} failed: no such table: no_such_table$`),
      );
      const db = new Database(file);
      try {
        assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
        assert.equal((db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get() as { n: number }).n, 0);
      } finally {
        db.close();
      }
    });

    it('creates a new registry through every migration in order', () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'nested'));
      const order: number[] = [];
      const db = openDatabase(join(dir, 'nested', 'eft.sqlite'), {
        migrations: [() => order.push(1), () => order.push(2), () => order.push(3)],
      });
      db.close();
      assert.deepEqual(order, [1, 2, 3]);
    });
  });
});
