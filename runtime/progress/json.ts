/**
 * Progress as JSON lines for machines: one object per event with its `type`, `t` (seconds
 * since the first event) and the event's fields; steps one line every `every` steps.
 */
import type { ProgressEvent, ProgressSink } from './events.js';
import { checkEvery, DEFAULT_STEP_EVERY, type LineSinkOptions } from './plain.js';

export class JsonProgress implements ProgressSink {
  private readonly every: number;
  private readonly now: () => number;
  private startedAt: number | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    options: LineSinkOptions = {},
  ) {
    this.every = checkEvery(options.every ?? DEFAULT_STEP_EVERY);
    this.now = options.now ?? Date.now;
  }

  emit(event: ProgressEvent): void {
    const now = this.now();
    this.startedAt ??= now;
    if (event.type === 'step' && event.step % this.every !== 0) return;
    const { type, ...fields } = event;
    const t = Math.round(now - this.startedAt) / 1000;
    this.stream.write(`${JSON.stringify({ type, t, ...fields })}\n`);
  }

  close(): void {}
}
