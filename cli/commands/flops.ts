// `eft flops MODEL`: forward GMACs and parameters of a catalogue model or a family call
// (`vit(patch: 4, dim: 64)`) at chosen resolutions, optionally block by block and retargeted to
// a well-known data set; `eft flops --list` prints the catalogue.
import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { reportUsageError, useColor } from '../output.js';

interface FlopsOptions {
  resolution?: string[];
  json?: boolean;
  detail?: boolean;
  list?: boolean;
  dataset?: string;
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

/** Problems with the model expression, shown on its own text; a usage error (exit 2). */
async function reportExpressionProblems(text: string, diagnostics: readonly Diagnostic[]): Promise<void> {
  const { renderDiagnostics } = await import('../../diagnostics/render.js');
  const { MODEL_EXPRESSION_FILE } = await import('../../compiler/model-expression.js');
  process.stderr.write(renderDiagnostics(diagnostics, new Map([[MODEL_EXPRESSION_FILE, text]]), { color: useColor(process.stderr) }));
  process.exitCode = 2;
}

async function flops(model: string | undefined, options: FlopsOptions): Promise<void> {
  const catalogue = await import('../../compiler/models/catalogue.js');
  const cost = await import('../../compiler/cost/index.js');
  const { didYouMean } = await import('../../diagnostics/suggest.js');
  const expression = await import('../../compiler/model-expression.js');
  const { resolveModelRef } = await import('../../compiler/resolve-model.js');
  if (options.list) {
    if (options.dataset !== undefined || options.resolution !== undefined || model !== undefined) {
      return reportUsageError('--list prints the whole catalogue, each model at its own input; give a model instead to count it at other resolutions or for --dataset');
    }
    return listCatalogue(catalogue, cost, Boolean(options.json));
  }
  if (model === undefined) return reportUsageError('name a model, or use --list to see the catalogue');

  const target = options.dataset === undefined ? undefined : expression.knownDatasetTarget(options.dataset);
  if (options.dataset !== undefined && !target) {
    const hint = didYouMean(options.dataset, expression.KNOWN_DATASET_NAMES);
    return reportUsageError(`unknown data set \`${options.dataset}\`${hint.length ? `; ${hint[0]}` : ''} (known: ${expression.KNOWN_DATASET_NAMES.join(', ')})`);
  }

  const parsed = expression.parseModelExpression(model);
  if ('diagnostics' in parsed) return reportExpressionProblems(model, parsed.diagnostics);
  const resolved = resolveModelRef(parsed.model, target);
  if ('diagnostics' in resolved) {
    if (parsed.model.kind !== 'catalogue') return reportExpressionProblems(model, resolved.diagnostics);
    const name = parsed.model.name;
    const hint = catalogue.FAMILY_NAMES.includes(name)
      ? [`\`${name}\` is a family: give it arguments, e.g. \`${name}(...)\`, or write \`${name}()\` for its defaults`]
      : didYouMean(name, catalogue.MODEL_NAMES);
    return reportUsageError(`unknown model \`${name}\`${hint.length ? `; ${hint[0]}` : ''} (\`eft flops --list\` lists the catalogue)`);
  }
  const spec: Spec = resolved.spec;

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
    const json = { model: spec.name, dataset: options.dataset ?? null, description: describeSpec(spec), nativeResolution: spec.nativeResolution, params, unit: 'MACs', resolutions: rows };
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }

  const native = spec.nativeResolution;
  const retargeted = options.dataset === undefined ? '' : ` (for ${options.dataset})`;
  let out = `${describeSpec(spec)}${retargeted}\nparameters: ${millions(params)} (${params.toLocaleString('en-US')})\n\n`;
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
    .description('forward GMACs and parameters of a catalogue model or a model family call at one or more resolutions')
    .argument('[model]', 'catalogue name (see --list) or family call, e.g. "vit(patch: 4, dim: 64)"')
    .option('-r, --resolution <pixels...>', 'input resolutions (default: the model\'s native one, or the data set\'s)')
    .option('--dataset <name>', 'count for a well-known data set (e.g. fashion_mnist, cifar10, imagenet1k): its channels, classes and resolution, as an experiment on it would')
    .option('--detail', 'add the per-block breakdown')
    .option('--json', 'print JSON (MACs, not GMACs)')
    .option('--list', 'list the catalogue')
    .addHelpText(
      'after',
      `
A family call is written as in an .eft file; quote it in the shell. Without --dataset a family
is built for 32×32 RGB with 10 classes, and a catalogue model keeps its own input and classes.

Examples:
  eft flops resnet50 -r 224 160 128
  eft flops 'convnet(width: 16, stages: 3)' --dataset fashion_mnist
  eft flops 'vit(patch: 4, dim: 32, depth: 3, heads: 2, mlp_ratio: 2)' --detail`,
    )
    .action(flops);
}
