// The run registry's public surface.
export { openRegistry, Registry, BASELINE_CURRICULUM, type RegistryOptions } from './registry.js';
export { DEFAULT_REGISTRY_PATH } from './paths.js';
export { RegistryError } from './errors.js';
export { makeRunId, isRunId } from './run-id.js';
export { MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.js';
export * from './types.js';
export { renderRunList, renderRunDetail, renderTable } from './render.js';
export { runLiveness, statusText, THIS_MACHINE, type Liveness, type LivenessProbe } from './liveness.js';
