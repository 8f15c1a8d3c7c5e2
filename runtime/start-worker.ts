// Starts a worker thread on a module next to the caller's. Built code starts the compiled `.js`
// file; when the project runs from its TypeScript sources (a loader such as tsx registered
// through NODE_OPTIONS, which threads do not inherit), the worker registers the same loader
// before it imports the `.ts` entry.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The ES-module entry of tsx's register API, read from its package exports. */
function tsxRegisterApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exportsMap = JSON.parse(fs.readFileSync(packageJson, 'utf8')).exports as Record<string, { import?: { default?: string } }>;
  const target = exportsMap['./esm/api']?.import?.default;
  if (target === undefined) throw new Error('tsx does not export ./esm/api: cannot start workers from TypeScript sources');
  return pathToFileURL(path.join(path.dirname(packageJson), target)).href;
}

/**
 * Starts `<name>.js` (or `<name>.ts` from sources) in the folder of `callerUrl`
 * (the caller's import.meta.url), with `workerData`.
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const tsxApi = tsxRegisterApi();
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
