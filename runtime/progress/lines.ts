/**
 * The words of progress output: one line per event, shared by the plain sink (which prints
 * them all) and the bar sink (which prints all but steps, shown by its bar). It remembers
 * what the lines need from earlier events: the number of stages, the current stage and when
 * it began (for the ETA).
 */
import type { ProgressEvent, StageStartEvent, StepEvent } from './events.js';
import { formatDuration, formatLoss, formatLr, formatPercent, formatRate } from './format.js';

export interface StepFields {
  stage: string;
  resolution: string;
  m: string;
  ips: string;
  loss: string;
  lr: string;
  eta: string;
}

export class ProgressLines {
  private stageCount = 0;
  private current: StageStartEvent | undefined;
  private stageStartedAt = 0;

  constructor(private readonly now: () => number) {}

  /** Takes note of an event; call for every event, printed or not. */
  observe(event: ProgressEvent): void {
    if (event.type === 'run_start') this.stageCount = event.stages.length;
    if (event.type === 'stage_start') {
      this.current = event;
      this.stageCount = event.stages;
      this.stageStartedAt = this.now();
    }
  }

  stageLabel(stage: number): string {
    return `stage ${stage + 1}/${this.stageCount}`;
  }

  /** Seconds left in the stage at the pace so far; null before the first step. */
  stageEta(step: number, steps: number): number | null {
    if (step <= 0) return null;
    const elapsed = (this.now() - this.stageStartedAt) / 1000;
    return (elapsed / step) * Math.max(0, steps - step);
  }

  stepFields(event: StepEvent): StepFields {
    const m = this.current && this.current.stage === event.stage ? this.current.randAugmentM : null;
    const resolution = this.current && this.current.stage === event.stage ? `${this.current.resolution}px` : '?px';
    return {
      stage: this.stageLabel(event.stage),
      resolution,
      m: m === null ? '' : `m${m}`,
      ips: formatRate(event.imagesPerSecond),
      loss: formatLoss(event.loss),
      lr: formatLr(event.lr),
      eta: formatDuration(this.stageEta(event.step, event.steps)),
    };
  }

  line(event: ProgressEvent): string {
    switch (event.type) {
      case 'run_start':
        return `run ${event.runId} (${event.experiment}): ${event.stages.length} stage${event.stages.length === 1 ? '' : 's'}, ${event.totalSteps} steps, backend ${event.backend}`;
      case 'stage_start':
        return `${this.stageLabel(event.stage)} start: ${event.resolution}px${event.randAugmentM === null ? '' : `, RandAugment m ${event.randAugmentM}`}, ${event.steps} steps`;
      case 'step': {
        const f = this.stepFields(event);
        const m = f.m ? `  ${f.m}` : '';
        return `${f.stage}  ${f.resolution}${m}  step ${event.step}/${event.steps}  ${f.ips} img/s  loss ${f.loss}  lr ${f.lr}  eta ${f.eta}`;
      }
      case 'eval': {
        const atStage = event.valTop1StageResolution === null ? '' : ` (at stage resolution ${formatPercent(event.valTop1StageResolution)})`;
        return `eval ${this.stageLabel(event.stage)} step ${event.step}: val loss ${formatLoss(event.valLoss)}, top-1 ${formatPercent(event.valTop1)}${atStage}`;
      }
      case 'stage_end':
        return `${this.stageLabel(event.stage)} end: ${event.steps} steps in ${formatDuration(event.seconds)}, ${formatRate(event.imagesPerSecond)} img/s, loss ${formatLoss(event.loss)}`;
      case 'run_end': {
        const top1 = event.top1 === null ? '' : `, top-1 ${formatPercent(event.top1)}`;
        const error = event.error ? `: ${event.error}` : '';
        const verb = event.status === 'completed' ? 'in' : 'after';
        return `run ${event.status} ${verb} ${formatDuration(event.seconds)}${top1}${error}`;
      }
      case 'warning':
        return `warning: ${event.message}`;
    }
  }
}
