import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { BACKEND_NAMES, BackendUnavailableError, describeBackend, selectBackend } from '../../runtime/backend/select.js';

describe('selectBackend', function () {
  this.timeout(60000);
  let previous: string | null;
  before(() => {
    previous = tf.getBackend();
  });
  after(async () => {
    if (previous) await tf.setBackend(previous);
  });

  it('prints a one-line description', () => {
    assert.equal(describeBackend({ name: 'wasm', simd: true, threads: 1 }), 'backend wasm (SIMD on, 1 thread)');
    assert.equal(describeBackend({ name: 'wasm', simd: false, threads: 2 }), 'backend wasm (SIMD off, 2 threads)');
    assert.equal(describeBackend({ name: 'cpu', simd: false, threads: 1 }), 'backend cpu (pure JavaScript, 1 thread)');
    assert.equal(describeBackend({ name: 'tfjs-node', simd: true, threads: 8 }), 'backend tfjs-node (native TensorFlow, 8 threads)');
  });

  it('takes the pure-JS backend when asked', async () => {
    const d = await selectBackend({ backend: 'cpu' });
    assert.equal(d.name, 'cpu');
    assert.equal(d.threads, 1);
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('says clearly when the asked backend is not installed', async () => {
    let missing: 'tfjs-node' | 'tfjs-node-gpu' | undefined;
    for (const name of ['tfjs-node', 'tfjs-node-gpu'] as const) {
      try {
        createRequire(import.meta.url).resolve(`@tensorflow/${name}`);
      } catch {
        missing = name;
        break;
      }
    }
    if (missing === undefined) return;
    await assert.rejects(selectBackend({ backend: missing }), (err: unknown) => {
      assert.ok(err instanceof BackendUnavailableError);
      assert.match(err.message, new RegExp(`^backend '${missing}' is not available: the package @tensorflow/${missing} cannot be loaded`));
      return true;
    });
  });

  it('rejects an unknown backend name and a bad thread count', async () => {
    await assert.rejects(selectBackend({ backend: 'gpu' as never }), /unknown backend 'gpu': expected auto, tfjs-node-gpu, tfjs-node, wasm, cpu/);
    await assert.rejects(selectBackend({ backend: 'wasm', threads: 0 }), /threads must be a positive integer or 'auto', got 0/);
  });

  it("under 'auto' takes the first backend that starts and says why the others were skipped", async () => {
    const d = await selectBackend({ backend: 'auto', threads: 1 });
    const skipped = d.skipped.map((s) => s.name);
    assert.equal(d.name, BACKEND_NAMES[skipped.length]);
    assert.deepEqual(skipped, BACKEND_NAMES.slice(0, skipped.length));
    for (const s of d.skipped) assert.match(s.reason, /cannot be loaded|did not start/);
    if (d.name === 'wasm') {
      assert.equal(d.simd, true);
      assert.ok(d.fastKernels.includes('Conv2DBackpropFilter'));
      assert.equal(tf.getBackend(), 'wasm');
    }
  });

  it('runs wasm on two threads in a child process started elsewhere, which then exits by itself', async () => {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const selectUrl = new URL(`../../runtime/backend/select${ext}`, import.meta.url).href;
    const tfUrl = pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).href;
    const code = `
      const { selectBackend, describeBackend } = await import(${JSON.stringify(selectUrl)});
      const tf = await import(${JSON.stringify(tfUrl)});
      const d = await selectBackend({ backend: 'wasm', threads: 2 });
      const x = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0];
      console.log(JSON.stringify({ line: describeBackend(d), threads: d.threads, x }));`;
    // Run from the temp folder: a TypeScript loader must then be named by its path.
    const loader = ext === '.ts' ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
    const env = { ...process.env, NODE_OPTIONS: '' };
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [...loader, '--input-type=module', '-e', code],
        { cwd: os.tmpdir(), timeout: 45000, env },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { line: string; threads: number; x: number };
    assert.deepEqual(result, { line: 'backend wasm (SIMD on, 2 threads)', threads: 2, x: 64 });
  });
});
