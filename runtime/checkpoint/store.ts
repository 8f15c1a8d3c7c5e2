/**
 * A folder of checkpoints. Saving is atomic: the file is written under a temporary name in
 * the same folder, flushed to disk, renamed over its final name and the folder flushed, so a
 * process killed at any moment leaves either the previous checkpoints or the new one, never
 * half a file under a checkpoint's name. Loading takes the newest checkpoint that reads back
 * intact and reports, as returned warnings, each newer one it had to pass over.
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from './errors.js';
import { checkpointFileName, newestFirst, parseCheckpointFileName, tempFileName, tempFileWriter, type CheckpointName } from './files.js';
import { decodeCheckpoint, encodeCheckpoint } from './format.js';
import type { Checkpoint, CheckpointState } from './types.js';

/** Periodic checkpoints kept by default, besides every stage-end one. */
export const DEFAULT_KEEP = 3;

export interface CheckpointFile extends CheckpointName {
  path: string;
}

export interface SaveOptions {
  /** Keep the newest `keep` checkpoints (at least 1) plus every stage-end checkpoint. */
  keep?: number;
}

export interface SavedCheckpoint {
  path: string;
  bytes: number;
  /** Checkpoints deleted by the keep policy, and temporary files of dead writers. */
  removed: string[];
}

export interface LoadOptions {
  /** When given, a checkpoint of another plan is refused with an error instead of resumed. */
  planHash?: string;
}

export interface LoadedCheckpoint {
  /** The newest intact checkpoint, or null when there is none. */
  checkpoint: Checkpoint | null;
  path: string | null;
  /** One line per newer checkpoint that was passed over, naming the file and the cause. */
  warnings: string[];
  /** Temporary files left by writers that were killed, now deleted. */
  removedTempFiles: string[];
}

function errorCause(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}

async function readFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CheckpointError(dir, `cannot read the checkpoint folder: ${errorCause(err)}`);
  }
}

/** The checkpoints in `dir`, newest first; temporary files are not listed. */
export async function listCheckpoints(dir: string): Promise<CheckpointFile[]> {
  const names = (await readFolder(dir)).map(parseCheckpointFileName).filter((n): n is CheckpointName => n !== undefined);
  return names.sort(newestFirst).map((n) => ({ ...n, path: join(dir, n.name) }));
}

/** Flushes a folder's entries (a rename) to disk; platforms that cannot open folders skip it. */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
  } finally {
    await handle?.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes temporary files whose writer process is gone; those of live writers stay. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readFolder(dir)) {
    const writer = tempFileWriter(name);
    if (writer === undefined || writer === process.pid || isAlive(writer)) continue;
    try {
      await unlink(join(dir, name));
      removed.push(join(dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CheckpointError(join(dir, name), `cannot delete a stale temporary file: ${errorCause(err)}`);
    }
  }
  return removed;
}

/** Applies the keep policy: the newest `keep` checkpoints and every stage-end one stay. */
export async function pruneCheckpoints(dir: string, keep: number = DEFAULT_KEEP): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be an integer ≥ 1, got ${String(keep)}`);
  const removed: string[] = [];
  const all = await listCheckpoints(dir);
  for (const file of all.slice(keep)) {
    if (file.stageEnd) continue;
    try {
      await unlink(file.path);
      removed.push(file.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CheckpointError(file.path, `cannot delete an old checkpoint: ${errorCause(err)}`);
    }
  }
  return removed;
}

async function writeAtomically(dir: string, finalName: string, chunks: Buffer[]): Promise<void> {
  const temp = join(dir, tempFileName(finalName));
  const target = join(dir, finalName);
  try {
    const handle = await open(temp, 'wx');
    try {
      for (const chunk of chunks) {
        let written = 0;
        while (written < chunk.length) written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    await syncFolder(dir);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new CheckpointError(target, `cannot write the checkpoint: ${errorCause(err)}`);
  }
}

/** Writes `state` to `dir` (created when missing) and applies the keep policy. */
export async function saveCheckpoint(dir: string, state: CheckpointState, options: SaveOptions = {}): Promise<SavedCheckpoint> {
  const keep = options.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be an integer ≥ 1, got ${String(keep)}`);
  const chunks = encodeCheckpoint(state);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new CheckpointError(dir, `cannot create the checkpoint folder: ${errorCause(err)}`);
  }
  const name = checkpointFileName(state.step, state.stageEnd);
  await writeAtomically(dir, name, chunks);
  const removed = [...(await pruneCheckpoints(dir, keep)), ...(await removeStaleTempFiles(dir))];
  return { path: join(dir, name), bytes: chunks.reduce((n, c) => n + c.length, 0), removed };
}

/** Reads one checkpoint file, checking its digest; any fault is a CheckpointError naming the file. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new CheckpointError(path, `cannot read the checkpoint: ${errorCause(err)}`);
  }
  return decodeCheckpoint(bytes, path);
}

/**
 * The newest checkpoint in `dir` that reads back intact. Damaged, truncated or unreadable
 * newer ones are passed over with a warning each; temporary files of killed writers are
 * deleted. A missing or empty folder gives `checkpoint: null`.
 */
export async function loadLatestCheckpoint(dir: string, options: LoadOptions = {}): Promise<LoadedCheckpoint> {
  const removedTempFiles = await removeStaleTempFiles(dir);
  const warnings: string[] = [];
  for (const file of await listCheckpoints(dir)) {
    let checkpoint: Checkpoint;
    try {
      checkpoint = await readCheckpoint(file.path);
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      warnings.push(`skipped checkpoint ${file.path}: ${err.reason}`);
      continue;
    }
    if (options.planHash !== undefined && checkpoint.planHash !== options.planHash) {
      throw new CheckpointError(file.path, `written for plan ${checkpoint.planHash}, not for this plan (${options.planHash}); resume it with its own plan or use another checkpoint folder`);
    }
    return { checkpoint, path: file.path, warnings, removedTempFiles };
  }
  return { checkpoint: null, path: null, warnings, removedTempFiles };
}
