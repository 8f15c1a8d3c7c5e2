/**
 * Progress as plain lines, for logs and pipes: every event but steps gets a line, steps one
 * line every `every` steps of a stage. Never a carriage return or a cursor movement.
 */
import type { ProgressEvent, ProgressSink } from './events.js';
import { ProgressLines } from './lines.js';

export interface LineSinkOptions {
  /** Print one step line every this many steps of a stage (default 50). */
  every?: number;
  /** Milliseconds since the epoch; tests inject a clock. */
  now?: () => number;
}

export const DEFAULT_STEP_EVERY = 50;

export function checkEvery(every: number): number {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`progress: steps between lines must be an integer ≥ 1, got ${String(every)}`);
  return every;
}

export class PlainProgress implements ProgressSink {
  private readonly every: number;
  private readonly lines: ProgressLines;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    options: LineSinkOptions = {},
  ) {
    this.every = checkEvery(options.every ?? DEFAULT_STEP_EVERY);
    this.lines = new ProgressLines(options.now ?? Date.now);
  }

  emit(event: ProgressEvent): void {
    this.lines.observe(event);
    if (event.type === 'step' && event.step % this.every !== 0) return;
    this.stream.write(`${this.lines.line(event)}\n`);
  }

  close(): void {}
}
