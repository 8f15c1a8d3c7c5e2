// Conversions between the registry's SQL rows (snake_case) and its typed records.
import type { EpochMetricsRecord, RunRecord, RunResultRecord, RunStatus, RunSummary, StageRecord } from './types.js';

export interface RunRow {
  id: string;
  experiment: string;
  model: string;
  dataset: string;
  curriculum: string;
  plan_hash: string;
  plan_path: string | null;
  plan_json: string;
  seed: number;
  backend: string;
  host: string;
  pid: number | null;
  eft_version: string;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  resumed_from: string | null;
}

export interface RunSummaryRow extends RunRow {
  result_wall_seconds: number | null;
  result_final_top1: number | null;
}

export interface StageRow {
  run_id: string;
  stage_index: number;
  resolution: number;
  planned_share: number;
  planned_images: number;
  planned_steps: number;
  measured_seconds: number | null;
  measured_images_per_second: number | null;
  started_at: string | null;
  ended_at: string | null;
}

export interface MetricsRow {
  run_id: string;
  stage_index: number;
  step: number;
  epoch: number;
  compute_fraction: number;
  train_loss: number | null;
  val_loss: number | null;
  val_top1: number | null;
  val_top1_stage_resolution: number | null;
  lr: number;
  seconds: number;
}

export interface ResultRow {
  run_id: string;
  final_top1: number | null;
  final_loss: number | null;
  wall_seconds: number;
  images_processed: number;
  stage_seconds: string;
}

export function runFromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    experiment: row.experiment,
    model: row.model,
    dataset: row.dataset,
    curriculum: row.curriculum,
    planHash: row.plan_hash,
    planPath: row.plan_path,
    planJson: row.plan_json,
    seed: row.seed,
    backend: row.backend,
    host: row.host,
    pid: row.pid,
    eftVersion: row.eft_version,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    resumedFrom: row.resumed_from,
  };
}

function secondsBetween(start: string, end: string | null): number | null {
  if (end === null) return null;
  return (Date.parse(end) - Date.parse(start)) / 1000;
}

export function summaryFromRow(row: RunSummaryRow): RunSummary {
  return {
    id: row.id,
    experiment: row.experiment,
    model: row.model,
    dataset: row.dataset,
    curriculum: row.curriculum,
    planHash: row.plan_hash,
    status: row.status,
    backend: row.backend,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    wallSeconds: row.result_wall_seconds ?? secondsBetween(row.started_at, row.ended_at),
    finalTop1: row.result_final_top1,
  };
}

export function stageFromRow(row: StageRow): StageRecord {
  return {
    runId: row.run_id,
    stageIndex: row.stage_index,
    resolution: row.resolution,
    plannedShare: row.planned_share,
    plannedImages: row.planned_images,
    plannedSteps: row.planned_steps,
    measuredSeconds: row.measured_seconds,
    measuredImagesPerSecond: row.measured_images_per_second,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function metricsFromRow(row: MetricsRow): EpochMetricsRecord {
  return {
    runId: row.run_id,
    stageIndex: row.stage_index,
    step: row.step,
    epoch: row.epoch,
    computeFraction: row.compute_fraction,
    trainLoss: row.train_loss,
    valLoss: row.val_loss,
    valTop1: row.val_top1,
    valTop1StageResolution: row.val_top1_stage_resolution,
    lr: row.lr,
    seconds: row.seconds,
  };
}

export function resultFromRow(row: ResultRow): RunResultRecord {
  return {
    runId: row.run_id,
    finalTop1: row.final_top1,
    finalLoss: row.final_loss,
    wallSeconds: row.wall_seconds,
    imagesProcessed: row.images_processed,
    stageSeconds: JSON.parse(row.stage_seconds) as number[],
  };
}
