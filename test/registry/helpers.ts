// Shared pieces of the registry tests: a temporary folder, a clock that moves only when told,
// a repeatable source of run-id suffixes and a typical run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartRunInput } from '../../runtime/registry/index.js';

export function tempDir(prefix = 'eft-registry-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export class FakeClock {
  constructor(public ms: number = Date.UTC(2026, 10, 28, 9, 30, 12)) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Returns the given values in turn, then repeats the last one. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)];
}

export function runInput(overrides: Partial<StartRunInput> = {}): StartRunInput {
  return {
    experiment: 'resnet_tiny_etpp',
    model: 'resnet_tiny',
    dataset: 'cifar10',
    curriculum: 'efficienttrain_pp',
    planHash: 'sha256:aaaa',
    planPath: 'plans/resnet_tiny_etpp.json',
    planJson: '{"experiment":"resnet_tiny_etpp","stages":[{"resolution":16},{"resolution":32}]}',
    seed: 0,
    backend: 'cpu',
    host: 'testhost',
    pid: 4321,
    eftVersion: '0.1.0',
    ...overrides,
  };
}
