// Entry point of the batch worker (batch-source.ts): runs the stage pipeline on each requested
// batch, in the order asked, and posts the prepared batch back (its buffers moved, not copied).
// No tensor backend is loaded here: the pipeline is plain JavaScript.
import { parentPort, workerData } from 'node:worker_threads';
import type { ImageDataset } from '../data/index.js';
import { Random } from '../random.js';
import type { BatchWorkerData, BatchWorkerMessage, BatchWorkerReply } from './batch-source.js';
import { stagePipeline, trainingBatch, type PreparedBatch, type StagePipeline } from './batches.js';

const shared = workerData as BatchWorkerData;
const port = parentPort!;
const data: ImageDataset = {
  images: new Uint8Array(shared.images),
  labels: new Int32Array(shared.labels),
  count: shared.count,
  height: shared.height,
  width: shared.width,
  channels: shared.channels,
  classes: shared.classes,
};

/** A batch's arrays as buffers of their own, so they can be moved to the main thread. */
function owned(array: Float32Array): Float32Array {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : array.slice();
}

let pipeline: StagePipeline | null = null;

port.on('message', (message: BatchWorkerMessage) => {
  if (message.kind === 'stage') {
    pipeline = stagePipeline(message.spec);
    return;
  }
  let reply: BatchWorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (pipeline === null) throw new Error('a batch was asked for before its stage began');
    const prepared = trainingBatch(data, message.indices, pipeline, new Random(message.augmentSeed));
    if (message.replayOnly) return;
    const batch: PreparedBatch = { ...prepared, images: owned(prepared.images), targets: owned(prepared.targets) };
    transfer.push(batch.images.buffer as ArrayBuffer, batch.targets.buffer as ArrayBuffer);
    reply = { kind: 'batch', id: message.id, batch };
  } catch (err) {
    reply = { kind: 'error', id: message.id, message: (err as Error).message };
  }
  port.postMessage(reply, transfer);
});

port.postMessage({ kind: 'ready' } satisfies BatchWorkerReply);
