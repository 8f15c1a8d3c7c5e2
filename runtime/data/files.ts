import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Reads a whole file, turning system errors into a DataError that names the file. */
export function readFileOrFail(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DataError(file, describeFsError(error));
  }
}

/**
 * Reads a data file, inflating it when it is gzip-compressed. Compression is
 * detected by the gzip magic bytes (1f 8b), not by the file name.
 */
export function readMaybeGzipped(file: string): Uint8Array {
  const raw = readFileOrFail(file);
  if (raw.length >= 2 && raw[0] === GZIP_MAGIC_0 && raw[1] === GZIP_MAGIC_1) {
    try {
      return gunzipSync(raw);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new DataError(file, `gzip data is corrupt or truncated (${detail})`);
    }
  }
  return raw;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}
