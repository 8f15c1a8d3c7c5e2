// `eft flops MODEL`: forward GMACs and parameters of a catalogue model at chosen resolutions,
// optionally block by block; `eft flops --list` prints the catalogue.
import type { Command } from 'commander';
import { reportUsageError } from '../output.js';

interface FlopsOptions {
  resolution?: string[];
  json?: boolean;
  detail?: boolean;
  list?: boolean;
}

type CostModule = typeof import('../../compiler/cost/index.js');
type CatalogueModule = typeof import('../../compiler/models/catalogue.js');
type Spec = import('../../compiler/models/spec.js').ModelSpec;
type BlockCost = import('../../compiler/cost/index.js').BlockCost;

function gmacs(macs: number): string {
  return (macs / 1e9).toPrecision(4);
}

function millions(count: number): string {
  return `${(count / 1e6).toPrecision(4)} M`;
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Parses `--resolution` values (each may be a comma list); returns the numbers or the offending texts. */
function parseResolutions(values: string[]): { resolutions: number[]; bad: string[] } {
  const resolutions: number[] = [];
  const bad: string[] = [];
  for (const text of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')) {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(n) && n > 0) resolutions.push(n);
    else bad.push(text);
  }
  return { resolutions: [...new Set(resolutions)], bad };
}

function listCatalogue(catalogue: CatalogueModule, cost: CostModule, json: boolean): void {
  const entries = catalogue.MODEL_NAMES.map((name) => {
    const spec = catalogue.lookupModel(name)!;
    return { name, family: spec.family, resolution: spec.nativeResolution, forwardMacs: cost.forwardMacs(spec, spec.nativeResolution), params: cost.paramCount(spec) };
  });
  if (json) {
    process.stdout.write(JSON.stringify({ models: entries, families: catalogue.FAMILY_NAMES }, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    table(
      ['model', 'family', 'resolution', 'GMACs', 'params'],
      entries.map((e) => [e.name, e.family, String(e.resolution), gmacs(e.forwardMacs), millions(e.params)]),
      [false, false, true, true, true],
    ),
  );
  process.stdout.write(`families: ${catalogue.FAMILY_NAMES.map((f) => `${f}(...)`).join(', ')}\n`);
}

function blockTable(blocks: BlockCost[]): string {
  return table(
    ['block', 'GMACs', 'params'],
    blocks.map((b) => [b.name, gmacs(b.macs), millions(b.params)]),
    [false, true, true],
  );
}

async function flops(model: string | undefined, options: FlopsOptions): Promise<void> {
  const catalogue = await import('../../compiler/models/catalogue.js');
  const cost = await import('../../compiler/cost/index.js');
  const { didYouMean } = await import('../../diagnostics/suggest.js');
  if (options.list) return listCatalogue(catalogue, cost, Boolean(options.json));
  if (model === undefined) return reportUsageError('name a model, or use --list to see the catalogue');

  const spec: Spec | undefined = catalogue.lookupModel(model);
  if (!spec) {
    const hint = didYouMean(model, catalogue.MODEL_NAMES);
    return reportUsageError(`unknown model \`${model}\`${hint.length ? `; ${hint[0]}` : ''} (\`eft flops --list\` lists the catalogue)`);
  }

  const { resolutions, bad } = parseResolutions(options.resolution ?? [String(spec.nativeResolution)]);
  const problems = bad.map((text) => `resolution \`${text}\` is not a positive whole number of pixels`);
  for (const b of resolutions) {
    // Resolutions above the native one are fine here: only the architecture's own rule applies.
    const check = cost.checkResolution(spec, b, Math.max(b, spec.nativeResolution));
    if (!check.ok) {
      const help = check.nearestValid.length > 0 ? `; use ${check.nearestValid.join(' or ')}` : '';
      problems.push(`${check.reason}${help}`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) reportUsageError(p);
    return;
  }

  const params = cost.paramCount(spec);
  const rows = resolutions.map((b) => {
    const forward = cost.forwardMacs(spec, b);
    return {
      resolution: b,
      forwardMacs: forward,
      trainingMacsPerImage: cost.trainingMacsPerImage(spec, b),
      pixelProxyMacs: cost.pixelProxyMacs(spec, b, spec.nativeResolution),
      blocks: options.detail ? cost.forwardBreakdown(spec, b) : undefined,
    };
  });

  const { describeSpec } = await import('../../compiler/models/spec.js');
  if (options.json) {
    process.stdout.write(JSON.stringify({ model: spec.name, description: describeSpec(spec), nativeResolution: spec.nativeResolution, params, unit: 'MACs', resolutions: rows }, null, 2) + '\n');
    return;
  }

  const native = spec.nativeResolution;
  let out = `${describeSpec(spec)}\nparameters: ${millions(params)} (${params.toLocaleString('en-US')})\n\n`;
  out += table(
    ['resolution', 'forward GMACs', 'training GMACs', `pixel proxy (vs ${native})`],
    rows.map((r) => [String(r.resolution), gmacs(r.forwardMacs), gmacs(r.trainingMacsPerImage), gmacs(r.pixelProxyMacs)]),
    [true, true, true, true],
  );
  out += `GMACs: 10^9 multiply-accumulates for one image (what papers call GFLOPs); training = ${cost.trainingMultiplier(spec)} × forward.\n`;
  for (const r of rows) {
    if (r.blocks) out += `\nblocks at ${r.resolution}×${r.resolution}:\n${blockTable(r.blocks)}`;
  }
  process.stdout.write(out);
}

export function registerFlops(program: Command): void {
  program
    .command('flops')
    .description('forward GMACs and parameters of a catalogue model at one or more resolutions')
    .argument('[model]', 'catalogue model name (see --list)')
    .option('-r, --resolution <pixels...>', 'input resolutions (default: the model\'s native one)')
    .option('--detail', 'add the per-block breakdown')
    .option('--json', 'print JSON (MACs, not GMACs)')
    .option('--list', 'list the catalogue')
    .action(flops);
}
