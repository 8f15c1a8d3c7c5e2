export { buildModel, TRAINABLE_FAMILIES, type BuildOptions } from './build.js';
export { ModelBuildError, type Model, type ResolutionChange } from './model.js';
export type { ForwardContext, BufferUpdate } from './layers.js';
export type { Parameter, ModelBuffer } from './parameters.js';
export { MacCounter } from './macs.js';
export { countForwardMacs } from './count.js';
export { resizePositionEmbedding } from './position-embedding.js';
