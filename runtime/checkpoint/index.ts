// Checkpoints of a training state: the public surface.
export {
  saveCheckpoint,
  loadLatestCheckpoint,
  readCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  removeStaleTempFiles,
  DEFAULT_KEEP,
  type CheckpointFile,
  type SaveOptions,
  type SavedCheckpoint,
  type LoadOptions,
  type LoadedCheckpoint,
} from './store.js';
export { encodeCheckpoint, decodeCheckpoint, CHECKPOINT_FORMAT_VERSION } from './format.js';
export { checkpointFileName } from './files.js';
export { CheckpointError } from './errors.js';
export type { Checkpoint, CheckpointState, CheckpointTensor, EmaState, JsonValue, TensorDtype, TensorEntry } from './types.js';
