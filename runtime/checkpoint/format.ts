/**
 * The checkpoint file format, version 1:
 *
 *   bytes 0–7    magic `EFTCKPT\0`
 *   bytes 8–11   header length H, uint32 little-endian
 *   H bytes      header, UTF-8 JSON: the training state without tensor data, plus the tensor
 *                table (name, dtype, shape, byte offset and byte length within the blob)
 *   padding      zero bytes up to a multiple of 8
 *   blob         all tensors, raw little-endian, each starting at a multiple of 8
 *   32 bytes     SHA-256 of everything before it
 *
 * Reading checks the digest before trusting a single field, so truncation and flipped bits
 * are caught as damage rather than misread as data.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { CheckpointError } from './errors.js';
import type { Checkpoint, CheckpointState, CheckpointTensor, JsonValue, TensorEntry } from './types.js';

export const CHECKPOINT_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('EFTCKPT\0', 'latin1');
const PREFIX_BYTES = MAGIC.length + 4;
const DIGEST_BYTES = 32;
const ALIGN = 8;
const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

/** The header: the state's fields without tensor data, the blob's length and the tensor table. */
type Header = Omit<CheckpointState, 'tensors'> & { format: number; blobLength: number; tensors: TensorEntry[] };

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function checkCount(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`checkpoint ${what} must be a non-negative integer, got ${String(value)}`);
}

function checkTensor(tensor: CheckpointTensor): void {
  if (typeof tensor.name !== 'string' || tensor.name.length === 0) throw new TypeError('every checkpoint tensor needs a non-empty name');
  const expected = tensor.dtype === 'float32' ? Float32Array : tensor.dtype === 'int32' ? Int32Array : undefined;
  if (!expected) throw new TypeError(`tensor ${tensor.name}: dtype must be float32 or int32, got ${String(tensor.dtype)}`);
  if (!(tensor.data instanceof expected)) throw new TypeError(`tensor ${tensor.name}: dtype ${tensor.dtype} needs a ${expected.name}`);
  for (const dim of tensor.shape) checkCount(`tensor ${tensor.name} dimension`, dim);
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  if (size !== tensor.data.length) throw new RangeError(`tensor ${tensor.name}: shape [${tensor.shape.join(', ')}] holds ${size} values, the data has ${tensor.data.length}`);
}

function checkState(state: CheckpointState): void {
  for (const key of ['step', 'stageIndex', 'stageStep', 'stageImages', 'imagesSeen', 'optimizerStep'] as const) checkCount(key, state[key]);
  if (!Number.isFinite(state.computeFraction) || state.computeFraction < 0) throw new RangeError(`checkpoint computeFraction must be a finite number ≥ 0, got ${state.computeFraction}`);
  const names = new Set<string>();
  for (const tensor of state.tensors) {
    checkTensor(tensor);
    if (names.has(tensor.name)) throw new TypeError(`two checkpoint tensors are named ${tensor.name}`);
    names.add(tensor.name);
  }
}

/** The little-endian bytes of a typed array, without copying on little-endian hosts. */
function littleEndianBytes(data: Float32Array | Int32Array): Buffer {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return HOST_IS_LITTLE_ENDIAN ? view : Buffer.from(view).swap32();
}

/** The file's content as a list of chunks (header, tensors, digest), to be written in order. */
export function encodeCheckpoint(state: CheckpointState): Buffer[] {
  checkState(state);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const tensor of state.tensors) {
    entries.push({ name: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape], offset, length: tensor.data.byteLength });
    offset = alignUp(offset + tensor.data.byteLength);
  }
  const header: Header = {
    format: CHECKPOINT_FORMAT_VERSION,
    planHash: state.planHash,
    runId: state.runId,
    step: state.step,
    stageIndex: state.stageIndex,
    stageStep: state.stageStep,
    stageImages: state.stageImages,
    imagesSeen: state.imagesSeen,
    computeFraction: state.computeFraction,
    stageEnd: state.stageEnd,
    rng: state.rng,
    optimizerStep: state.optimizerStep,
    ema: state.ema,
    metrics: state.metrics,
    blobLength: offset,
    tensors: entries,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(alignUp(PREFIX_BYTES + headerBytes.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(prefix, PREFIX_BYTES);

  const chunks: Buffer[] = [prefix];
  state.tensors.forEach((tensor, i) => {
    chunks.push(littleEndianBytes(tensor.data));
    const end = entries[i].offset + entries[i].length;
    const next = i + 1 < entries.length ? entries[i + 1].offset : offset;
    if (next > end) chunks.push(Buffer.alloc(next - end));
  });
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  chunks.push(hash.digest());
  return chunks;
}

function readHeaderLoosely(bytes: Buffer): Header | undefined {
  const length = bytes.readUInt32LE(MAGIC.length);
  if (PREFIX_BYTES + length > bytes.length) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + length)) as Header;
  } catch {
    return undefined;
  }
}

/** Why the digest does not match: a short file says so, anything else is damage. */
function describeMismatch(bytes: Buffer): string {
  const headerEnd = PREFIX_BYTES + bytes.readUInt32LE(MAGIC.length);
  if (headerEnd + DIGEST_BYTES > bytes.length) return `truncated or damaged: the header runs past the end of the file (${bytes.length} bytes)`;
  const header = readHeaderLoosely(bytes);
  if (header && Number.isInteger(header.blobLength)) {
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    const expected = alignUp(PREFIX_BYTES + headerLength) + header.blobLength + DIGEST_BYTES;
    if (bytes.length < expected) return `truncated: ${bytes.length} of ${expected} bytes`;
  }
  return 'checksum mismatch: the file is damaged';
}

function decodeTensor(blob: Buffer, entry: TensorEntry, file: string): CheckpointTensor {
  const ctor = entry.dtype === 'float32' ? Float32Array : entry.dtype === 'int32' ? Int32Array : undefined;
  if (!ctor) throw new CheckpointError(file, `tensor ${entry.name} has unknown dtype ${String(entry.dtype)}`);
  const size = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.length !== size * 4 || entry.offset < 0 || entry.offset + entry.length > blob.length) {
    throw new CheckpointError(file, `tensor ${entry.name}: its table entry does not fit the data`);
  }
  const data = new ctor(size);
  const target = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  blob.copy(target, 0, entry.offset, entry.offset + entry.length);
  if (!HOST_IS_LITTLE_ENDIAN) target.swap32();
  return { name: entry.name, dtype: entry.dtype, shape: [...entry.shape], data };
}

/** Reads a whole checkpoint file's bytes; `file` names it in errors. */
export function decodeCheckpoint(bytes: Buffer, file: string): Checkpoint {
  if (bytes.length < PREFIX_BYTES + DIGEST_BYTES) return fail(file, bytes.length === 0 ? 'empty file' : `truncated: only ${bytes.length} bytes`);
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return fail(file, 'not an eft checkpoint (wrong magic bytes)');
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - DIGEST_BYTES))) return fail(file, describeMismatch(bytes));

  const header = readHeaderLoosely(bytes);
  if (!header || typeof header !== 'object') return fail(file, 'the header is not valid JSON');
  if (header.format !== CHECKPOINT_FORMAT_VERSION) {
    return fail(file, `checkpoint format version ${String(header.format)} is not supported (this eft reads version ${CHECKPOINT_FORMAT_VERSION})`);
  }
  const blobStart = alignUp(PREFIX_BYTES + bytes.readUInt32LE(MAGIC.length));
  const blob = body.subarray(blobStart);
  if (blob.length !== header.blobLength) return fail(file, `the tensor data is ${blob.length} bytes, the header says ${header.blobLength}`);
  const tensors = header.tensors.map((entry) => decodeTensor(blob, entry, file));
  return {
    formatVersion: header.format,
    planHash: header.planHash,
    runId: header.runId,
    step: header.step,
    stageIndex: header.stageIndex,
    stageStep: header.stageStep,
    stageImages: header.stageImages,
    imagesSeen: header.imagesSeen,
    computeFraction: header.computeFraction,
    stageEnd: header.stageEnd,
    rng: header.rng,
    optimizerStep: header.optimizerStep,
    ema: header.ema,
    metrics: header.metrics,
    tensors,
  };
}

function fail(file: string, reason: string): never {
  throw new CheckpointError(file, reason);
}

