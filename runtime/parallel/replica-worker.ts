// Entry point of one data-parallel worker: a wasm backend of its own, one replica,
// and three jobs: report weights, compute gradients of a shard, apply averaged ones.
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { describeBackend, selectBackend } from '../backend/select.js';
import type { Reply, Request, WorkerSetup } from './protocol.js';
import type { Replica, ReplicaModule } from './replica.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;

function send(reply: Reply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

/** Copies a float32 tensor into out at offset, straight from the wasm heap when it can. */
function copyInto(t: tf.Tensor, out: Float32Array, offset: number): void {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  out.set(backend.typedArrayFromHeap !== undefined ? backend.typedArrayFromHeap(t) : (t.dataSync() as Float32Array), offset);
}

interface State {
  replica: Replica;
  gradients: Float32Array;
  averaged?: Float32Array;
}

function handle(state: State, request: Request): void {
  const { replica } = state;
  switch (request.kind) {
    case 'attach':
      state.averaged = new Float32Array(request.averaged);
      send({ kind: 'done' });
      return;
    case 'get-weights': {
      const weights = replica.variables.map((v) => (v.dataSync() as Float32Array).slice());
      send({ kind: 'weights', weights }, weights.map((w) => w.buffer as ArrayBuffer));
      return;
    }
    case 'set-weights':
      replica.variables.forEach((v, i) => v.assign(tf.tensor(request.weights[i]!, v.shape)));
      send({ kind: 'done' });
      return;
    case 'gradients': {
      const out = state.gradients;
      const loss = tf.tidy(() => {
        const x = tf.tensor(request.x.data, request.x.shape);
        const y = tf.tensor(request.y.data, request.y.shape);
        const { value, grads } = tf.variableGrads(() => replica.loss(x, y), replica.variables);
        let offset = 0;
        for (const v of replica.variables) {
          copyInto(grads[v.name]!, out, offset);
          offset += v.size;
        }
        return value.dataSync()[0]!;
      });
      send({ kind: 'loss', loss });
      return;
    }
    case 'apply': {
      const averaged = state.averaged;
      if (averaged === undefined) throw new Error('no averaged-gradient buffer attached');
      tf.tidy(() => {
        const named: tf.NamedTensorMap = {};
        let offset = 0;
        for (const v of replica.variables) {
          named[v.name] = tf.tensor(averaged.subarray(offset, offset + v.size), v.shape);
          offset += v.size;
        }
        replica.optimizer.applyGradients(named);
      });
      send({ kind: 'done' });
      return;
    }
  }
}

async function main(): Promise<void> {
  const backend = await selectBackend({ backend: 'wasm', threads: setup.threads });
  const mod = (await import(setup.replicaModule)) as Partial<ReplicaModule>;
  if (typeof mod.createReplica !== 'function') {
    throw new Error(`${setup.replicaModule} does not export createReplica(options)`);
  }
  const replica = await mod.createReplica(setup.replicaOptions);
  const total = replica.variables.reduce((sum, v) => sum + v.size, 0);
  const gradients = new SharedArrayBuffer(4 * total);
  const state: State = { replica, gradients: new Float32Array(gradients) };
  port.on('message', (request: Request) => {
    try {
      handle(state, request);
    } catch (err) {
      send({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
  send({ kind: 'ready', shapes: replica.variables.map((v) => v.shape), backend: describeBackend(backend), gradients });
}

main().catch((err: unknown) => send({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
