// The two models of the curriculum benchmarks (bench/curriculum.ts, bench/stage-efficiency.ts),
// with the EfficientTrain++ resolution family each takes.
export const MODELS = {
  cnn: { model: 'convnet(width: 16, stages: 3)', family: 'default' },
  vit: { model: 'vit(patch: 4, dim: 32, depth: 3, heads: 2, mlp_ratio: 2)', family: 'deit' },
} as const;

export type ModelKey = keyof typeof MODELS;

