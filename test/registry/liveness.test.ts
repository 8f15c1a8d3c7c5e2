import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { runLiveness, statusText, THIS_MACHINE, type LivenessProbe } from '../../runtime/registry/index.js';

const here = hostname();
const probe = (running: boolean): LivenessProbe => ({ host: here, isRunning: () => running });

describe('run registry: is a running run still running?', () => {
  it('asks about the process only for a run of this machine with a recorded process id', () => {
    assert.equal(runLiveness({ host: here, pid: 4242 }, probe(true)), 'alive');
    assert.equal(runLiveness({ host: here, pid: 4242 }, probe(false)), 'gone');
    assert.equal(runLiveness({ host: 'another-machine', pid: 4242 }, probe(false)), 'unknown');
    assert.equal(runLiveness({ host: here, pid: null }, probe(false)), 'unknown');
    assert.equal(runLiveness({ host: here, pid: process.pid }, probe(false)), 'alive');
  });

  it('shows a running run whose process is gone as such, and other statuses as they are', () => {
    assert.equal(statusText({ status: 'running', host: here, pid: 4242 }, probe(false)), 'running, process gone');
    assert.equal(statusText({ status: 'running', host: here, pid: 4242 }, probe(true)), 'running');
    assert.equal(statusText({ status: 'running', host: 'another-machine', pid: 4242 }, probe(false)), 'running');
    assert.equal(statusText({ status: 'completed', host: here, pid: 4242 }, probe(false)), 'completed');
  });

  it('finds a live Node.js process, and not one that has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      assert.equal(THIS_MACHINE.isRunning(child.pid!), true);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(THIS_MACHINE.isRunning(child.pid!), false);
    const exited = spawnSync(process.execPath, ['-e', '0']);
    assert.equal(THIS_MACHINE.isRunning(exited.pid), false);
  });

  if (process.platform === 'linux') {
    it('takes a process id now used by another program for a gone run', async () => {
      const child = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        await new Promise((resolve) => child.once('spawn', resolve));
        assert.equal(THIS_MACHINE.isRunning(child.pid!), false);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
});
