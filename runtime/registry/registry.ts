/**
 * The run registry: one SQLite file recording every training run, its stages, the metrics
 * taken along the way and its result. Every write is one transaction; records of a run are
 * only accepted while it is running.
 */
import type { Database, Statement } from 'better-sqlite3';
import { hostname } from 'node:os';
import { RegistryError } from './errors.js';
import { describeSqliteError, openDatabase } from './open.js';
import { DEFAULT_REGISTRY_PATH } from './paths.js';
import { makeRunId } from './run-id.js';
import {
  metricsFromRow,
  resultFromRow,
  runFromRow,
  stageFromRow,
  summaryFromRow,
  type MetricsRow,
  type ResultRow,
  type RunRow,
  type RunSummaryRow,
  type StageRow,
} from './rows.js';
import {
  RUN_STATUSES,
  type BaselineQuery,
  type EpochMetricsInput,
  type FinishedStatus,
  type FinishRunInput,
  type RunDetail,
  type RunFilter,
  type RunRecord,
  type RunSummary,
  type StageEndInput,
  type StageStartInput,
  type StartRunInput,
} from './types.js';
import { checkNumber, checkOptionalNumber, checkText, COUNT, FRACTION, NON_NEGATIVE } from './validate.js';

/** The curriculum name that marks a baseline run. */
export const BASELINE_CURRICULUM = 'none';

export interface RegistryOptions {
  /** Milliseconds since the epoch; tests inject a fixed clock. */
  now?: () => number;
  /** A number in [0, 1) for run-id suffixes; tests inject a seeded one. */
  random?: () => number;
  busyTimeoutMs?: number;
}

const ID_ATTEMPTS = 32;

export class Registry {
  readonly path: string;
  private readonly db: Database;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(db: Database, path: string, options: RegistryOptions = {}) {
    this.db = db;
    this.path = path;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.statements = prepareStatements(db);
  }

  /** Records a new run in status `running` and returns it with its id. */
  startRun(input: StartRunInput): RunRecord {
    checkText('experiment', input.experiment);
    checkText('model', input.model);
    checkText('dataset', input.dataset);
    checkText('curriculum', input.curriculum);
    checkText('planHash', input.planHash);
    checkText('backend', input.backend);
    checkText('eftVersion', input.eftVersion);
    checkNumber('seed', input.seed, { integer: true });
    try {
      JSON.parse(input.planJson);
    } catch (err) {
      throw new TypeError(`planJson must be the plan's JSON text: ${(err as Error).message}`);
    }
    return this.write(() => {
      if (input.resumedFrom) this.requireRun(input.resumedFrom);
      const startedAt = this.isoNow();
      const id = this.freshId();
      this.statements.insertRun.run({
        id,
        experiment: input.experiment,
        model: input.model,
        dataset: input.dataset,
        curriculum: input.curriculum,
        plan_hash: input.planHash,
        plan_path: input.planPath ?? null,
        plan_json: input.planJson,
        seed: input.seed,
        backend: input.backend,
        host: input.host ?? hostname(),
        pid: input.pid ?? process.pid,
        eft_version: input.eftVersion,
        started_at: startedAt,
        resumed_from: input.resumedFrom ?? null,
      });
      return runFromRow(this.statements.getRun.get(id) as RunRow);
    });
  }

  /** Records that a stage began (again, after a resume: the earlier record is replaced). */
  recordStageStart(runId: string, stage: StageStartInput): void {
    checkNumber('stageIndex', stage.stageIndex, COUNT);
    checkNumber('resolution', stage.resolution, { min: 1, integer: true });
    checkNumber('plannedShare', stage.plannedShare, FRACTION);
    checkNumber('plannedImages', stage.plannedImages, COUNT);
    checkNumber('plannedSteps', stage.plannedSteps, COUNT);
    this.write(() => {
      this.requireRunning(runId);
      this.statements.upsertStageStart.run({
        run_id: runId,
        stage_index: stage.stageIndex,
        resolution: stage.resolution,
        planned_share: stage.plannedShare,
        planned_images: stage.plannedImages,
        planned_steps: stage.plannedSteps,
        started_at: this.isoNow(),
      });
    });
  }

  recordStageEnd(runId: string, stageIndex: number, measured: StageEndInput): void {
    checkNumber('stageIndex', stageIndex, COUNT);
    checkNumber('seconds', measured.seconds, NON_NEGATIVE);
    checkNumber('imagesPerSecond', measured.imagesPerSecond, NON_NEGATIVE);
    this.write(() => {
      this.requireRunning(runId);
      const changed = this.statements.updateStageEnd.run({
        run_id: runId,
        stage_index: stageIndex,
        measured_seconds: measured.seconds,
        measured_images_per_second: measured.imagesPerSecond,
        ended_at: this.isoNow(),
      }).changes;
      if (changed === 0) throw new RegistryError(this.path, `stage ${stageIndex} of run ${runId} ends but was never started`);
    });
  }

  /** Appends one or more metric records in one transaction. */
  recordMetrics(runId: string, metrics: EpochMetricsInput | readonly EpochMetricsInput[]): void {
    const list = Array.isArray(metrics) ? (metrics as readonly EpochMetricsInput[]) : [metrics as EpochMetricsInput];
    const rows = list.map((m) => ({
      run_id: runId,
      stage_index: checkNumber('stageIndex', m.stageIndex, COUNT),
      step: checkNumber('step', m.step, COUNT),
      epoch: checkNumber('epoch', m.epoch, NON_NEGATIVE),
      compute_fraction: checkNumber('computeFraction', m.computeFraction, NON_NEGATIVE),
      train_loss: checkOptionalNumber('trainLoss', m.trainLoss),
      val_loss: checkOptionalNumber('valLoss', m.valLoss),
      val_top1: checkOptionalNumber('valTop1', m.valTop1, FRACTION),
      val_top1_stage_resolution: checkOptionalNumber('valTop1StageResolution', m.valTop1StageResolution, FRACTION),
      lr: checkNumber('lr', m.lr, NON_NEGATIVE),
      seconds: checkNumber('seconds', m.seconds, NON_NEGATIVE),
    }));
    this.write(() => {
      this.requireRunning(runId);
      for (const row of rows) this.statements.insertMetrics.run(row);
    });
  }

  /** Closes a running run with its final status, and its result when there is one. */
  finishRun(runId: string, status: FinishedStatus, outcome: FinishRunInput = {}): void {
    if ((status as string) === 'running' || !RUN_STATUSES.includes(status)) throw new TypeError(`a run finishes as completed, failed or interrupted, not ${String(status)}`);
    const result = outcome.result;
    const resultRow = result && {
      run_id: runId,
      final_top1: checkOptionalNumber('finalTop1', result.finalTop1, FRACTION),
      final_loss: checkOptionalNumber('finalLoss', result.finalLoss),
      wall_seconds: checkNumber('wallSeconds', result.wallSeconds, NON_NEGATIVE),
      images_processed: checkNumber('imagesProcessed', result.imagesProcessed, COUNT),
      stage_seconds: JSON.stringify(result.stageSeconds.map((s, i) => checkNumber(`stageSeconds[${i}]`, s, NON_NEGATIVE))),
    };
    this.write(() => {
      this.requireRunning(runId);
      this.statements.finishRun.run({ id: runId, status, ended_at: this.isoNow(), error: outcome.error ?? null });
      if (resultRow) this.statements.upsertResult.run(resultRow);
    });
  }

  /**
   * Marks a run that is still `running` as interrupted (its process stopped without
   * finishing it). Returns false, changing nothing, when the run had already finished.
   */
  markInterrupted(runId: string, reason: string | null = null): boolean {
    return this.write(() => {
      this.requireRun(runId);
      return this.statements.interruptRun.run({ id: runId, ended_at: this.isoNow(), error: reason }).changes > 0;
    });
  }

  getRun(id: string): RunDetail | undefined {
    return this.read(() => {
      const row = this.statements.getRun.get(id) as RunRow | undefined;
      if (!row) return undefined;
      const result = this.statements.getResult.get(id) as ResultRow | undefined;
      return {
        run: runFromRow(row),
        stages: (this.statements.getStages.all(id) as StageRow[]).map(stageFromRow),
        metrics: (this.statements.getMetrics.all(id) as MetricsRow[]).map(metricsFromRow),
        result: result ? resultFromRow(result) : null,
      };
    });
  }

  /** Runs newest first (by start time), filtered. */
  listRuns(filter: RunFilter = {}): RunSummary[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (filter.experiment !== undefined) {
      where.push('r.experiment = @experiment');
      params.experiment = filter.experiment;
    }
    if (filter.status !== undefined) {
      where.push('r.status = @status');
      params.status = filter.status;
    }
    if (filter.planHash !== undefined) {
      where.push('r.plan_hash = @plan_hash');
      params.plan_hash = filter.planHash;
    }
    let sql = `SELECT r.*, res.wall_seconds AS result_wall_seconds, res.final_top1 AS result_final_top1
               FROM runs r LEFT JOIN results res ON res.run_id = r.id`;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY r.started_at DESC, r.id DESC';
    if (filter.limit !== undefined) {
      params.limit = checkNumber('limit', filter.limit, { min: 1, integer: true });
      sql += ' LIMIT @limit';
    }
    return this.read(() => (this.db.prepare(sql).all(params) as RunSummaryRow[]).map(summaryFromRow));
  }

  /** The latest completed baseline run (curriculum `none`) of a model on a data set. */
  findBaselineRun(query: BaselineQuery): RunDetail | undefined {
    const row = this.read(
      () => this.statements.findBaseline.get({ model: query.model, dataset: query.dataset, curriculum: BASELINE_CURRICULUM }) as { id: string } | undefined,
    );
    return row ? this.getRun(row.id) : undefined;
  }

  /** Ids that start with `prefix`, so that a user may type a unique beginning of an id. */
  findRunIds(prefix: string): string[] {
    return this.read(() => (this.statements.findIds.all({ pattern: `${escapeLike(prefix)}%` }) as { id: string }[]).map((r) => r.id));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  private freshId(): string {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = makeRunId(this.now(), this.random);
      if (!this.statements.getRun.get(id)) return id;
    }
    throw new RegistryError(this.path, `could not find an unused run id after ${ID_ATTEMPTS} attempts`);
  }

  private requireRun(runId: string): RunRow {
    const row = this.statements.getRun.get(runId) as RunRow | undefined;
    if (!row) throw new RegistryError(this.path, `no run ${runId} in the registry`);
    return row;
  }

  private requireRunning(runId: string): void {
    const row = this.requireRun(runId);
    if (row.status !== 'running') throw new RegistryError(this.path, `run ${runId} is ${row.status}; a finished run takes no more records`);
  }

  private write<T>(body: () => T): T {
    return this.guard(() => this.db.transaction(body).immediate());
  }

  private read<T>(body: () => T): T {
    return this.guard(body);
  }

  /** SQLite failures (disk full, lock held too long, damaged file) become RegistryErrors naming the file. */
  private guard<T>(body: () => T): T {
    try {
      return body();
    } catch (err) {
      if (err instanceof RegistryError || err instanceof TypeError || err instanceof RangeError) throw err;
      throw new RegistryError(this.path, describeSqliteError(err));
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function prepareStatements(db: Database) {
  const prepare = (sql: string): Statement => db.prepare(sql);
  return {
    insertRun: prepare(`
      INSERT INTO runs (id, experiment, model, dataset, curriculum, plan_hash, plan_path, plan_json, seed, backend, host,
                        pid, eft_version, status, started_at, resumed_from)
      VALUES (@id, @experiment, @model, @dataset, @curriculum, @plan_hash, @plan_path, @plan_json, @seed, @backend, @host,
              @pid, @eft_version, 'running', @started_at, @resumed_from)`),
    getRun: prepare('SELECT * FROM runs WHERE id = ?'),
    finishRun: prepare('UPDATE runs SET status = @status, ended_at = @ended_at, error = @error WHERE id = @id'),
    interruptRun: prepare(`UPDATE runs SET status = 'interrupted', ended_at = @ended_at, error = @error WHERE id = @id AND status = 'running'`),
    upsertStageStart: prepare(`
      INSERT INTO stages (run_id, stage_index, resolution, planned_share, planned_images, planned_steps, started_at)
      VALUES (@run_id, @stage_index, @resolution, @planned_share, @planned_images, @planned_steps, @started_at)
      ON CONFLICT (run_id, stage_index) DO UPDATE SET
        resolution = excluded.resolution, planned_share = excluded.planned_share, planned_images = excluded.planned_images,
        planned_steps = excluded.planned_steps, started_at = excluded.started_at,
        measured_seconds = NULL, measured_images_per_second = NULL, ended_at = NULL`),
    updateStageEnd: prepare(`
      UPDATE stages SET measured_seconds = @measured_seconds, measured_images_per_second = @measured_images_per_second, ended_at = @ended_at
      WHERE run_id = @run_id AND stage_index = @stage_index`),
    getStages: prepare('SELECT * FROM stages WHERE run_id = ? ORDER BY stage_index'),
    insertMetrics: prepare(`
      INSERT INTO epoch_metrics (run_id, stage_index, step, epoch, compute_fraction, train_loss, val_loss, val_top1,
                                 val_top1_stage_resolution, lr, seconds)
      VALUES (@run_id, @stage_index, @step, @epoch, @compute_fraction, @train_loss, @val_loss, @val_top1,
              @val_top1_stage_resolution, @lr, @seconds)`),
    getMetrics: prepare('SELECT * FROM epoch_metrics WHERE run_id = ? ORDER BY step, id'),
    upsertResult: prepare(`
      INSERT OR REPLACE INTO results (run_id, final_top1, final_loss, wall_seconds, images_processed, stage_seconds)
      VALUES (@run_id, @final_top1, @final_loss, @wall_seconds, @images_processed, @stage_seconds)`),
    getResult: prepare('SELECT * FROM results WHERE run_id = ?'),
    findBaseline: prepare(`
      SELECT id FROM runs WHERE model = @model AND dataset = @dataset AND curriculum = @curriculum AND status = 'completed'
      ORDER BY ended_at DESC, rowid DESC LIMIT 1`), // rowid: of runs that ended in the same millisecond, the one recorded last
    findIds: prepare(`SELECT id FROM runs WHERE id LIKE @pattern ESCAPE '\\' ORDER BY id`),
  };
}

/** Opens (creating or migrating when needed) the registry at `path`, by default `runs/eft.sqlite`. */
export function openRegistry(path: string = DEFAULT_REGISTRY_PATH, options: RegistryOptions = {}): Registry {
  const db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs });
  return new Registry(db, path, options);
}
