import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reportUsageError } from '../output.js';

const STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
type Status = (typeof STATUSES)[number];

interface RunsOptions {
  registry: string;
  experiment?: string;
  status?: string;
  limit?: string;
  json?: boolean;
}

function noRunsLine(registry: string): string {
  return `no runs recorded yet (registry ${registry})\n`;
}

/** Opens the registry, which loads SQLite: only inside an action, never at start-up. */
async function open(registry: string) {
  const { openRegistry, RegistryError } = await import('../../runtime/registry/index.js');
  try {
    return openRegistry(registry);
  } catch (err) {
    if (err instanceof RegistryError) {
      reportUsageError(err.message);
      return undefined;
    }
    throw err;
  }
}

async function listRuns(options: RunsOptions): Promise<void> {
  if (options.status !== undefined && !STATUSES.includes(options.status as Status)) {
    return reportUsageError(`--status must be one of ${STATUSES.join(', ')}; got '${options.status}'`);
  }
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) return reportUsageError(`--limit must be a positive whole number; got '${options.limit}'`);
  if (!existsSync(options.registry)) {
    process.stdout.write(options.json ? '[]\n' : noRunsLine(options.registry));
    return;
  }
  const registry = await open(options.registry);
  if (!registry) return;
  try {
    const runs = registry.listRuns({ experiment: options.experiment, status: options.status as Status | undefined, limit });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      const filters = [options.experiment && `experiment ${options.experiment}`, options.status && `status ${options.status}`].filter(Boolean);
      process.stdout.write(filters.length === 0 ? noRunsLine(options.registry) : `no runs match ${filters.join(', ')} (registry ${options.registry})\n`);
      return;
    }
    const { renderRunList } = await import('../../runtime/registry/render.js');
    process.stdout.write(renderRunList(runs));
  } finally {
    registry.close();
  }
}

async function showRun(id: string, options: RunsOptions): Promise<void> {
  if (!existsSync(options.registry)) return reportUsageError(`no run ${id}: ${noRunsLine(options.registry).trimEnd()}`);
  const registry = await open(options.registry);
  if (!registry) return;
  try {
    let detail = registry.getRun(id);
    if (!detail) {
      const matches = registry.findRunIds(id);
      if (matches.length === 0) return reportUsageError(`no run ${id} in registry ${options.registry} (\`eft runs\` lists them)`);
      if (matches.length > 1) return reportUsageError(`run id ${id} is ambiguous: it begins ${matches.length} runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''})`);
      detail = registry.getRun(matches[0]);
    }
    if (!detail) return reportUsageError(`no run ${id} in registry ${options.registry}`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
      return;
    }
    const { renderRunDetail } = await import('../../runtime/registry/render.js');
    process.stdout.write(renderRunDetail(detail));
  } finally {
    registry.close();
  }
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('list recorded training runs, newest first')
    .option('--registry <path>', 'run registry file', join('runs', 'eft.sqlite'))
    .option('--experiment <name>', 'only runs of this experiment')
    .option('--status <status>', `only runs in this status (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many runs')
    .option('--json', 'print the runs as JSON on stdout')
    .action(async (options: RunsOptions) => listRuns(options));
  runs
    .command('show')
    .description('show one run: its settings, stages (planned compute share against measured time share) and metrics')
    .argument('<id>', 'run id, or a unique beginning of one')
    .configureHelp({ showGlobalOptions: true })
    .action(async (id: string, _options: unknown, command: Command) => showRun(id, command.optsWithGlobals<RunsOptions>()));
}
