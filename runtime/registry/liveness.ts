// Whether a run the registry lists as `running` still has a live process. A run's process
// writes `running` when it starts and its final status when it ends; a process killed with
// SIGKILL, or a machine that went down, leaves `running` behind.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunRecord } from './types.js';

/**
 * `alive`: its process still runs on this machine; `gone`: it ran here and its process has
 * ended; `unknown`: it ran on another machine, or before process ids were recorded.
 */
export type Liveness = 'alive' | 'gone' | 'unknown';

export interface LivenessProbe {
  host: string;
  /** Whether process `pid` of this machine is running and is a Node.js process. */
  isRunning(pid: number): boolean;
}

function isNodeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A recycled process id belongs to some other program: on Linux, its command line says so.
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return /node/i.test(argv0);
  } catch {
    return true;
  }
}

export const THIS_MACHINE: LivenessProbe = { host: hostname(), isRunning: isNodeProcess };

/** The status to show: `running, process gone` for a run whose process ended without closing it. */
export function statusText(run: Pick<RunRecord, 'status' | 'host' | 'pid'>, probe: LivenessProbe = THIS_MACHINE): string {
  return run.status === 'running' && runLiveness(run, probe) === 'gone' ? 'running, process gone' : run.status;
}

/** The liveness of a run whose recorded status is `running`. */
export function runLiveness(run: Pick<RunRecord, 'host' | 'pid'>, probe: LivenessProbe = THIS_MACHINE): Liveness {
  if (run.pid === null || run.host !== probe.host) return 'unknown';
  if (run.pid === process.pid) return 'alive';
  return probe.isRunning(run.pid) ? 'alive' : 'gone';
}
