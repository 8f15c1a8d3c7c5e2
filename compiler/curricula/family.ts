// Which EfficientTrain++ resolution list a model gets by default. The official scripts have
// three: one "tailored for DeiT", one for ConvNeXt, and one for everything else (Swin, CSWin,
// ResNet-50; PVT and other backbones have no script of their own and take this one too).
import type { ModelRef } from '../experiment.js';

export const ETPP_FAMILIES = ['default', 'deit', 'convnext'] as const;
export type EtppFamily = (typeof ETPP_FAMILIES)[number];

/** The default EfficientTrain++ family of a model: DeiT and plain ViTs → `deit`, ConvNeXt → `convnext`, else `default`. */
export function etppFamilyOf(model: ModelRef): EtppFamily {
  const name = (model.kind === 'catalogue' ? model.name : model.family).toLowerCase();
  if (name.startsWith('deit') || name === 'vit' || name.startsWith('vit_')) return 'deit';
  if (name.startsWith('convnext')) return 'convnext';
  return 'default';
}
