/**
 * Progress reporting for the training loop: it emits events; a sink shows them as a live
 * bar on a terminal, plain lines elsewhere, or JSON lines for machines.
 */
import { BarProgress } from './bar.js';
import type { ProgressEvent, ProgressSink } from './events.js';
import { JsonProgress } from './json.js';
import { PlainProgress } from './plain.js';

export * from './events.js';
export { PlainProgress, DEFAULT_STEP_EVERY, type LineSinkOptions } from './plain.js';
export { JsonProgress } from './json.js';
export { BarProgress, type BarSinkOptions } from './bar.js';
export { formatDuration, formatPercent, formatLoss, formatLr, formatRate } from './format.js';

export interface ProgressOptions {
  /** JSON event lines on stdout instead of human output. */
  json?: boolean;
  /** Where human output goes (default stdout); JSON always goes to stdout. */
  stream?: NodeJS.WriteStream;
  /** Steps between plain or JSON step lines (default 50). */
  every?: number;
  now?: () => number;
}

/** JSON lines when asked, a live bar on a terminal, plain lines otherwise. */
export function createProgress(options: ProgressOptions = {}): ProgressSink {
  if (options.json) return new JsonProgress(process.stdout, { every: options.every, now: options.now });
  const stream = options.stream ?? process.stdout;
  if (stream.isTTY) return new BarProgress(stream, { now: options.now });
  return new PlainProgress(stream, { every: options.every, now: options.now });
}

/** One sink that hands every event to several (a terminal and a log file, say). */
export function combineSinks(...sinks: ProgressSink[]): ProgressSink {
  return {
    emit: (event: ProgressEvent) => sinks.forEach((sink) => sink.emit(event)),
    close: () => sinks.forEach((sink) => sink.close()),
  };
}
