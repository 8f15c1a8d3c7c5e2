// CSWin Transformer: cross-shaped stripe attention with LePE, conv merging between stages.
import type { CSWinSpec } from '../../models/spec.js';
import { CostError } from '../errors.js';
import type { CostTrace } from '../trace.js';
import { windowAt } from './windows.js';

export function traceCSWin(spec: CSWinSpec, t: CostTrace): void {
  let size = t.block('stem', () => {
    const out = t.conv({ inChannels: spec.inChannels, outChannels: spec.dims[0], ...spec.stem, bias: true }, t.resolution);
    t.norm(spec.dims[0]);
    return out;
  });
  const lastStage = spec.dims.length - 1;
  spec.dims.forEach((dim, i) => {
    if (i > 0) {
      size = t.block(`stage${i + 1}.merge`, () => {
        const out = t.conv({ inChannels: spec.dims[i - 1], outChannels: dim, kernel: 3, stride: 2, padding: 1, bias: true }, size);
        t.norm(dim);
        return out;
      });
    }
    const heads = spec.heads[i];
    const stripe = windowAt(spec.stripes[i], t.resolution, spec.name, `stage ${i + 1} stripe width`);
    // The last stage, or any whose map is no wider than a stripe, attends over the whole map.
    const whole = i === lastStage || stripe >= size;
    if (dim % heads !== 0 || (!whole && (heads % 2 !== 0 || dim % 2 !== 0))) {
      throw new CostError('bad-spec', `${spec.name}: stage ${i + 1} width ${dim} does not split into ${heads} heads${whole ? '' : ' over two stripe directions'}`);
    }
    if (!whole && size % stripe !== 0) {
      throw new CostError('incompatible', `${spec.name} cannot run at ${t.resolution}×${t.resolution}: stage ${i + 1}'s ${size}×${size} map is not a whole number of ${stripe}-wide stripes`, t.resolution);
    }
    const tokens = size * size;
    const hidden = Math.round(dim * spec.mlpRatio);
    for (let j = 0; j < spec.depths[i]; j++) {
      t.block(`stage${i + 1}.block${j + 1}`, () => {
        t.norm(dim);
        t.linear(tokens, dim, 3 * dim, spec.qkvBias);
        if (whole) {
          t.attention(heads, tokens, tokens, dim / heads);
          t.conv({ inChannels: dim, outChannels: dim, kernel: 3, stride: 1, padding: 1, groups: dim, bias: true }, size);
        } else {
          const half = dim / 2;
          const stripeTokens = size * stripe;
          for (let branch = 0; branch < 2; branch++) {
            t.attention((heads / 2) * (size / stripe), stripeTokens, stripeTokens, dim / heads);
            t.conv({ inChannels: half, outChannels: half, kernel: 3, stride: 1, padding: 1, groups: half, bias: true }, size);
          }
        }
        t.linear(tokens, dim, dim, true);
        t.norm(dim);
        t.linear(tokens, dim, hidden, true);
        t.linear(tokens, hidden, dim, true);
      });
    }
  });
  const last = spec.dims[lastStage];
  t.block('head', () => {
    t.norm(last);
    t.linear(1, last, spec.numClasses, true);
  });
}
