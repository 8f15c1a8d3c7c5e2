// How the official EfficientTrain++ launch scripts realise a budget of E equivalent epochs,
// reproduced step by step, because the numbers they print ("--epochs 1088 --end_epoch 108
// --warmup_epochs 217") puzzle their users. Each of the 10 stages runs inside a virtual run
// of int(E · 224²/B² / r) epochs whose cosine schedule spans the whole budget, and covers its
// tenth of it: from the epoch the previous stage stopped at (rescaled by the replay factors
// and by B²: round(start · B_prev² / B²), Python rounding) up to int(virtual / 10 · (i + 1)).
// Cost is counted by the pixel proxy (∝ B²), and int()/round() make each stage land near,
// not at, 10% of the compute.
import { roundHalfEven } from './rounding.js';

export interface OfficialStage {
  index: number;
  resolution: number;
  replay: number;
  /** `--epochs`: length of the stage's virtual run. */
  virtualEpochs: number;
  /** Epoch the stage resumes at (its checkpoint's epoch + 1, rescaled). */
  startEpoch: number;
  /** `--end_epoch` */
  endEpoch: number;
  /** `--warmup_epochs` */
  warmupEpochs: number;
  /** Loader epochs actually run: endEpoch − startEpoch. */
  epochs: number;
  /** The stage's cost in epochs at 224px by the pixel proxy: epochs · r · (B/224)². */
  proxyEpochs: number;
}

export interface OfficialRealisation {
  equivalentEpochs: number;
  stages: OfficialStage[];
  /** Total cost in epochs at 224px by the pixel proxy. */
  proxyEquivalentEpochs: number;
}

/** The stages the scripts launch. `deitWarmup`: DeiT's warm-up of 20% of the budget; others use 20 epochs. */
export function officialScriptStages(equivalentEpochs: number, resolutions: readonly number[], replay: readonly number[], deitWarmup: boolean): OfficialRealisation {
  const stages: OfficialStage[] = [];
  for (let i = 0; i < resolutions.length; i++) {
    const B = resolutions[i];
    const r = replay[i] ?? 1;
    const ratio = (224 * 224) / (B * B);
    const virtualEpochs = Math.trunc((equivalentEpochs * ratio) / r);
    const warmupEpochs = deitWarmup ? Math.trunc((0.2 * equivalentEpochs * ratio) / r) : Math.trunc(20 / r);
    const endEpoch = Math.trunc((virtualEpochs / 10) * (i + 1));
    let startEpoch = 0;
    if (i > 0) {
      const prev = stages[i - 1];
      startEpoch = prev.replay !== r ? roundHalfEven(prev.endEpoch * (prev.replay / r)) : prev.endEpoch;
      startEpoch = roundHalfEven((startEpoch * prev.resolution ** 2) / B ** 2);
    }
    const epochs = Math.max(0, endEpoch - startEpoch);
    stages.push({ index: i + 1, resolution: B, replay: r, virtualEpochs, startEpoch, endEpoch, warmupEpochs, epochs, proxyEpochs: (epochs * r * B * B) / (224 * 224) });
  }
  return { equivalentEpochs, stages, proxyEquivalentEpochs: stages.reduce((sum, s) => sum + s.proxyEpochs, 0) };
}
