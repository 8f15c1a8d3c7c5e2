/**
 * Progress on a terminal: a live cli-progress bar for the running stage (stage i/N,
 * resolution, RandAugment m, step/steps, images/s, loss, lr, ETA). Other events print as
 * lines above the bar; when a stage ends its bar is cleared and its summary line stays.
 * Each stage gets its own MultiBar, stopped at the stage's end, so no redraw timer runs
 * between stages or after the run.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressSink } from './events.js';
import { ProgressLines } from './lines.js';

const BAR_FORMAT = '{stage} {resolution} {m} [{bar}] {value}/{total} | {ips} img/s | loss {loss} | lr {lr} | eta {etaText}';

export interface BarSinkOptions {
  now?: () => number;
  /** Redraws per second at most (default 10). */
  fps?: number;
}

export class BarProgress implements ProgressSink {
  private readonly lines: ProgressLines;
  private readonly fps: number;
  private live: { bars: cliProgress.MultiBar; bar: cliProgress.SingleBar } | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    options: BarSinkOptions = {},
  ) {
    this.lines = new ProgressLines(options.now ?? Date.now);
    this.fps = options.fps ?? 10;
  }

  emit(event: ProgressEvent): void {
    this.lines.observe(event);
    switch (event.type) {
      case 'stage_start':
        this.endBar();
        this.stream.write(`${this.lines.line(event)}\n`);
        this.startBar(event.stage, event.steps);
        return;
      case 'step': {
        const { eta, ...fields } = this.lines.stepFields(event);
        this.live?.bar.update(event.step, { ...fields, etaText: eta });
        return;
      }
      case 'stage_end':
      case 'run_end':
        this.endBar();
        this.stream.write(`${this.lines.line(event)}\n`);
        return;
      default:
        this.print(this.lines.line(event));
    }
  }

  close(): void {
    this.endBar();
  }

  private startBar(stage: number, steps: number): void {
    const bars = new cliProgress.MultiBar({
      stream: this.stream,
      format: BAR_FORMAT,
      fps: this.fps,
      barsize: 24,
      hideCursor: false,
      // The training loop handles SIGINT itself (it marks the run interrupted).
      gracefulExit: false,
      clearOnComplete: true,
    });
    const { eta, ...fields } = this.lines.stepFields({ type: 'step', stage, step: 0, steps, globalStep: 0, loss: 0, imagesPerSecond: 0, lr: 0, computeFraction: 0 });
    const bar = bars.create(steps, 0, { ...fields, ips: '--', loss: '--', lr: '--', etaText: eta });
    this.live = { bars, bar };
  }

  /** A line above the live bar, or a plain line when no bar is showing. */
  private print(line: string): void {
    if (!this.live) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.live.bars.log(`${line}\n`);
    this.live.bars.update();
  }

  private endBar(): void {
    if (!this.live) return;
    this.live.bars.update();
    this.live.bars.stop();
    this.live = undefined;
  }
}
