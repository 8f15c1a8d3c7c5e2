// EfficientTrain++ (TPAMI'24): ten stages of 10% of the training compute each, the budget
// given in equivalent epochs E. Resolutions per family, written for 224px inputs; RandAugment
// magnitude m = 0..9, one step per stage.
import { equivalentEpochsOf } from '../budget-length.js';
import { ETPP_FAMILIES, etppFamilyOf, type EtppFamily } from '../family.js';
import { scaledOrigin, stringArg, type LibraryCurriculum } from './types.js';

export const ETPP_RESOLUTIONS: Record<EtppFamily, readonly number[]> = {
  default: [96, 96, 160, 160, 160, 160, 224, 224, 224, 224],
  deit: [96, 96, 160, 160, 160, 160, 192, 192, 224, 224],
  convnext: [160, 160, 160, 160, 160, 160, 224, 224, 224, 224],
};

export const ETPP_MAGNITUDES: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export const efficienttrainPP: LibraryCurriculum = {
  name: 'efficienttrain_pp',
  summary: 'EfficientTrain++: 10 stages of 10% of the compute, low-frequency cropping and RandAugment m = 0..9',
  args: {
    family: { kind: 'enum', values: ETPP_FAMILIES, example: 'family: deit', doc: 'resolution list: `default` (Swin, CSWin, ResNet-50, ...), `deit` or `convnext`; default: from the model' },
    equivalent_epochs: { kind: 'number', min: 0, minExclusive: true, max: 1e6, unit: 'epochs', example: 'equivalent_epochs: 200ep', doc: 'total compute in epochs at full resolution' },
    speedup: { kind: 'number', min: 0, minExclusive: true, max: 1000, unit: 'factor', example: 'speedup: 1.5x', doc: 'total compute as a speedup over the baseline' },
  },
  build(ctx) {
    const family = (stringArg(ctx, 'family') as EtppFamily | undefined) ?? etppFamilyOf(ctx.exp.model);
    const length = equivalentEpochsOf(ctx.exp, ctx.args);
    const resolutions = ETPP_RESOLUTIONS[family];
    return {
      clock: 'compute',
      lowPass: 'fft',
      family,
      equivalentEpochs: length.value,
      budgetSource: length.source,
      stages: resolutions.map((b, i) => ({
        start: i / 10,
        end: (i + 1) / 10,
        resolution: (b / 224) * ctx.full,
        resolutionOrigin: scaledOrigin(b, ctx.full),
        m: ETPP_MAGNITUDES[i],
      })),
    };
  },
};
