// The architecture spec an experiment trains: a catalogue model or a family built from its
// arguments, retargeted to the data set's channels, classes and resolution.
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ExperimentDef, ModelRef } from './experiment.js';
import { buildFamilyModel, DEFAULT_FAMILY_CONTEXT, FAMILY_NAMES, lookupModel, MODEL_NAMES, type FamilyContext } from './models/catalogue.js';
import type { ModelSpec } from './models/spec.js';

export type ResolvedModel = { spec: ModelSpec } | { diagnostics: Diagnostic[] };

export function resolveModel(experiment: ExperimentDef): ResolvedModel {
  return resolveModelRef(experiment.model, {
    inChannels: experiment.dataset.channels,
    numClasses: experiment.dataset.classes.value,
    resolution: experiment.dataset.resolution.value,
  });
}

/**
 * The spec a model reference names, for a data set's channels, classes and resolution. Without
 * a target a catalogue model keeps its own input and classes, and a family is built for
 * `DEFAULT_FAMILY_CONTEXT`.
 */
export function resolveModelRef(model: ModelRef, target?: FamilyContext): ResolvedModel {
  if (model.kind === 'catalogue') {
    const spec = lookupModel(model.name, target);
    if (spec) return { spec };
    const isFamily = FAMILY_NAMES.includes(model.name);
    return {
      diagnostics: [
        makeDiagnostic('EFT0201', 'error', `unknown model \`${model.name}\``, {
          span: model.span,
          label: 'not in the catalogue',
          help: isFamily
            ? [`\`${model.name}\` is a family: call it with arguments, e.g. \`${model.name}(...)\``]
            : [...didYouMean(model.name, [...MODEL_NAMES, ...FAMILY_NAMES]), 'run `eft flops --list` for the catalogue'],
        }),
      ],
    };
  }
  const context = target ?? DEFAULT_FAMILY_CONTEXT;
  const built = buildFamilyModel(model.family, model.args, { ...context });
  if ('spec' in built) return built;
  // Some checks across arguments (patch vs resolution, stages vs resolution) depend on the input.
  const defaultInput = target ? [] : [`no data set given: the family is built for ${context.inChannels}×${context.resolution}² input and ${context.numClasses} classes`];
  return {
    diagnostics: built.errors.map((e) => {
      if (e.kind === 'unknown-family') {
        return makeDiagnostic('EFT0201', 'error', e.message, {
          span: model.span,
          label: 'unknown model family',
          help: e.help.length > 0 ? e.help : didYouMean(model.family, [...FAMILY_NAMES, ...MODEL_NAMES]),
        });
      }
      return makeDiagnostic('EFT0202', 'error', e.message, {
        span: (e.argument && model.argSpans[e.argument]) || model.span,
        label: e.kind === 'unknown-argument' ? 'unknown argument' : 'invalid argument',
        notes: e.dependsOnInput ? defaultInput : [],
        help: e.help,
      });
    }),
  };
}
