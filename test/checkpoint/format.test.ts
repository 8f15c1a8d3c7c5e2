import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CheckpointError, CHECKPOINT_FORMAT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../runtime/checkpoint/index.js';
import { stateAtStep } from './fixtures/state.js';

function encode(step: number): Buffer {
  return Buffer.concat(encodeCheckpoint(stateAtStep(step)));
}

function decodeFails(bytes: Buffer, reason: RegExp): void {
  assert.throws(
    () => decodeCheckpoint(bytes, 'ckpt/x.ckpt'),
    (err: unknown) => err instanceof CheckpointError && err.file === 'ckpt/x.ckpt' && reason.test(err.reason) && err.message.startsWith('ckpt/x.ckpt: '),
  );
}

/** Rewrites the header JSON and the digest, as a file written by another version would be. */
function withHeader(bytes: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const length = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as Record<string, unknown>;
  edit(header);
  const text = Buffer.from(JSON.stringify(header));
  assert.equal(text.length, length, 'the edit must keep the header length');
  const body = Buffer.from(bytes.subarray(0, bytes.length - 32));
  text.copy(body, 12);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('checkpoint format', () => {
  it('round-trips the whole state, tensors bit for bit', () => {
    const state = stateAtStep(42, { stageEnd: true });
    const special = Float32Array.of(Number.NaN, -0, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, 1.4e-45);
    state.tensors.push({ name: 'model/special', dtype: 'float32', shape: [5], data: special });
    const back = decodeCheckpoint(Buffer.concat(encodeCheckpoint(state)), 'x.ckpt');
    assert.deepEqual(back, { ...state, formatVersion: CHECKPOINT_FORMAT_VERSION });
    const bits = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
    assert.equal(bits(back.tensors[4].data), bits(special));
    assert.ok(back.tensors[0].data instanceof Float32Array);
    assert.ok(back.tensors[1].data instanceof Int32Array);
  });

  it('lays the file out as magic, header, aligned blob and a SHA-256 of the rest', () => {
    const bytes = encode(3);
    assert.equal(bytes.toString('latin1', 0, 8), 'EFTCKPT\0');
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8))) as {
      format: number;
      blobLength: number;
      tensors: { name: string; dtype: string; shape: number[]; offset: number; length: number }[];
    };
    assert.equal(header.format, 1);
    assert.deepEqual(header.tensors, [
      { name: 'model/w', dtype: 'float32', shape: [3, 4], offset: 0, length: 48 },
      { name: 'optimizer/counts', dtype: 'int32', shape: [3], offset: 48, length: 12 },
      { name: 'ema/scalar', dtype: 'float32', shape: [], offset: 64, length: 4 },
      { name: 'model/empty', dtype: 'float32', shape: [0, 5], offset: 72, length: 0 },
    ]);
    assert.equal(header.blobLength, 72);
    const blobStart = bytes.length - 32 - header.blobLength;
    assert.equal(blobStart % 8, 0);
    assert.equal(bytes.readFloatLE(blobStart + 4), 3.125, 'model/w[1] = step + 1/8, little-endian');
    assert.equal(bytes.readInt32LE(blobStart + 48 + 4), -3);
    const digest = createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest();
    assert.ok(digest.equals(bytes.subarray(bytes.length - 32)));
  });

  it('names truncation, damage and foreign files', () => {
    const bytes = encode(5);
    decodeFails(Buffer.alloc(0), /^empty file$/);
    decodeFails(bytes.subarray(0, 20), /^truncated: only 20 bytes$/);
    decodeFails(bytes.subarray(0, 100), /^truncated or damaged: the header runs past the end of the file \(100 bytes\)$/);
    decodeFails(bytes.subarray(0, bytes.length - 10), new RegExp(`^truncated: ${bytes.length - 10} of ${bytes.length} bytes$`));
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40] ^= 0x04;
    decodeFails(flipped, /^checksum mismatch: the file is damaged$/);
    decodeFails(Buffer.from('{"step": 5, "tensors": []}'.repeat(4)), /^not an eft checkpoint \(wrong magic bytes\)$/);
  });

  it('refuses a format version it does not know', () => {
    const future = withHeader(encode(5), (h) => {
      h.format = 9;
    });
    decodeFails(future, /^checkpoint format version 9 is not supported \(this eft reads version 1\)$/);
  });

  it('refuses states that could not be read back faithfully', () => {
    const wrongType = stateAtStep(1);
    wrongType.tensors[0] = { name: 'model/w', dtype: 'int32', shape: [12], data: new Float32Array(12) };
    assert.throws(() => encodeCheckpoint(wrongType), /tensor model\/w: dtype int32 needs a Int32Array/);

    const wrongShape = stateAtStep(1);
    wrongShape.tensors[0].shape = [5, 4];
    assert.throws(() => encodeCheckpoint(wrongShape), /tensor model\/w: shape \[5, 4\] holds 20 values, the data has 12/);

    const twice = stateAtStep(1);
    twice.tensors.push({ ...twice.tensors[0] });
    assert.throws(() => encodeCheckpoint(twice), /two checkpoint tensors are named model\/w/);

    assert.throws(() => encodeCheckpoint({ ...stateAtStep(1), step: 1.5 }), /checkpoint step must be a non-negative integer, got 1.5/);
  });
});
