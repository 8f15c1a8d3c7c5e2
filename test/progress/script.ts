// A scripted run for the progress tests: two stages, steps half a second apart on a fake
// clock, an evaluation, a warning and the end of the run.
import type { ProgressSink } from '../../runtime/progress/index.js';

export class ScriptClock {
  ms = Date.UTC(2026, 10, 28, 9, 30, 12);
  readonly now = (): number => this.ms;
}

export function playScript(sink: ProgressSink, clock: ScriptClock): void {
  const stages = [
    { resolution: 16, steps: 100, randAugmentM: 0 },
    { resolution: 32, steps: 60, randAugmentM: null },
  ];
  sink.emit({ type: 'run_start', runId: '20261128-093012-ab12', experiment: 'tiny_etpp', backend: 'cpu', stages, totalSteps: 160 });
  let globalStep = 0;
  stages.forEach((stage, index) => {
    sink.emit({ type: 'stage_start', stage: index, stages: stages.length, resolution: stage.resolution, randAugmentM: stage.randAugmentM, steps: stage.steps });
    for (let step = 1; step <= stage.steps; step++) {
      clock.ms += index === 0 ? 500 : 2000;
      globalStep++;
      sink.emit({
        type: 'step',
        stage: index,
        step,
        steps: stage.steps,
        globalStep,
        loss: 2.5 - globalStep / 100,
        imagesPerSecond: index === 0 ? 128 : 32,
        lr: 0.01 * (1 - globalStep / 160),
        computeFraction: globalStep / 160,
      });
      if (index === 1 && step === 30) sink.emit({ type: 'warning', message: 'loss rose 3 steps in a row' });
    }
    sink.emit({ type: 'stage_end', stage: index, steps: stage.steps, seconds: index === 0 ? 50 : 120, imagesPerSecond: index === 0 ? 128 : 32, loss: 2.5 - globalStep / 100 });
    sink.emit({ type: 'eval', stage: index, step: globalStep, valLoss: 2 - index / 2, valTop1: 0.3 + index / 5, valTop1StageResolution: index === 0 ? 0.25 : null });
  });
  sink.emit({ type: 'run_end', status: 'completed', seconds: 170, top1: 0.5, error: null });
  sink.close();
}

/** Collects what a sink writes; `isTTY` makes it look like a terminal. */
export class CapturedStream {
  text = '';
  isTTY: boolean;
  columns = 160;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }
}

