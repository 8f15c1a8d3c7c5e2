// EfficientTrain (ICCV'23): five equal stages in ordinary epochs (60 each for 300), input
// 160, 160, 160, 192, 224 (written for 224px), RandAugment m = 1, 3, 5, 7, 9: the code's
// discretisation of m = (t/T)·9.
import { epochsOf } from '../budget-length.js';
import { scaledOrigin, type LibraryCurriculum } from './types.js';

export const ET_RESOLUTIONS: readonly number[] = [160, 160, 160, 192, 224];
export const ET_MAGNITUDES: readonly number[] = [1, 3, 5, 7, 9];

export const efficienttrain: LibraryCurriculum = {
  name: 'efficienttrain',
  summary: 'EfficientTrain: 5 equal stages in epochs, 160→224px, RandAugment m = 1..9',
  args: {
    epochs: { kind: 'number', min: 0, minExclusive: true, max: 1e6, unit: 'epochs', example: 'epochs: 300ep', doc: 'length of the run in epochs (default: the baseline epochs)' },
  },
  build(ctx) {
    const length = epochsOf(ctx.exp, ctx.args);
    const n = ET_RESOLUTIONS.length;
    return {
      clock: 'epochs',
      lowPass: 'fft',
      budgetSource: length.source,
      stages: ET_RESOLUTIONS.map((b, i) => ({
        start: (length.value * i) / n,
        end: (length.value * (i + 1)) / n,
        resolution: (b / 224) * ctx.full,
        resolutionOrigin: scaledOrigin(b, ctx.full),
        m: ET_MAGNITUDES[i],
      })),
    };
  },
};
