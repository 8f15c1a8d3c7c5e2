// Costs an experiment: its curriculum expanded into stages with images, steps and FLOPs by
// the architecture's cost model.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { costModelFor } from './curricula/cost-model.js';
import { expandCurriculum } from './curricula/index.js';
import type { ExperimentDef } from './experiment.js';
import type { ModelSpec } from './models/spec.js';
import type { Schedule } from './schedule.js';

export function costExperiment(experiment: ExperimentDef, spec: ModelSpec): { schedule?: Schedule; diagnostics: Diagnostic[] } {
  return expandCurriculum(experiment, costModelFor(spec, experiment.dataset.resolution.value));
}
