// Checks the arguments of a library curriculum call against that curriculum's own arguments:
// unknown names (with the curriculum that does take them), kinds, enum values and bounds.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { Span } from '../../grammar/ast.js';
import type { Located } from '../experiment.js';
import { formatEpochs, formatPercent, formatSpeedup, trimZeros } from './format.js';
import { LIBRARY } from './library/index.js';
import type { LibraryArgSpec, LibraryCurriculum } from './library/types.js';

function formatArgValue(value: number, spec: LibraryArgSpec): string {
  switch (spec.unit) {
    case 'fraction':
      return formatPercent(value, 4);
    case 'epochs':
      return `${formatEpochs(value)}ep`;
    case 'pixels':
      return `${trimZeros(value.toFixed(4))}px`;
    case 'factor':
      return formatSpeedup(value);
    default:
      return trimZeros(value.toFixed(6));
  }
}

function boundsText(spec: LibraryArgSpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.minExclusive ? 'more than' : 'at least'} ${formatArgValue(spec.min, spec)}`);
  if (spec.max !== undefined) parts.push(`at most ${formatArgValue(spec.max, spec)}`);
  return parts.join(' and ');
}

function usage(lib: LibraryCurriculum): string {
  const names = Object.keys(lib.args);
  return names.length === 0 ? `\`${lib.name}\` takes no arguments` : `the arguments of \`${lib.name}\` are ${names.map((n) => `\`${n}\``).join(', ')}`;
}

function problem(message: string, span: Span, label: string, help: string[], notes: string[] = []): Diagnostic {
  return makeDiagnostic('EFT0302', 'error', message, { span, label, help, notes });
}

/** EFT0302 problems of a call's arguments; empty when they are all right. */
export function argumentProblems(lib: LibraryCurriculum, args: Record<string, Located<number | string>>): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const [name, arg] of Object.entries(args)) {
    const spec = Object.prototype.hasOwnProperty.call(lib.args, name) ? lib.args[name] : undefined;
    if (!spec) {
      const owners = [...LIBRARY.values()].filter((c) => c !== lib && Object.prototype.hasOwnProperty.call(c.args, name)).map((c) => `\`${c.name}\``);
      const help = [...didYouMean(name, Object.keys(lib.args)), usage(lib)];
      const notes = owners.length > 0 ? [`\`${name}\` is an argument of ${owners.join(' and ')}`] : [];
      problems.push(problem(`\`${lib.name}\` has no argument \`${name}\``, arg.span, 'unknown argument', help, notes));
      continue;
    }
    const value = arg.value;
    if (spec.kind === 'enum') {
      const values = spec.values ?? [];
      if (typeof value !== 'string' || !values.includes(value)) {
        const shown = typeof value === 'string' ? `\`${value}\`` : `the number ${trimZeros(String(value))}`;
        problems.push(
          problem(`argument \`${name}\` of \`${lib.name}\` must be one of ${values.map((v) => `\`${v}\``).join(', ')}, not ${shown}`, arg.span, 'unknown value', [
            ...(typeof value === 'string' ? didYouMean(value, values) : []),
            `write \`${spec.example}\``,
          ]),
        );
      }
      continue;
    }
    if (typeof value !== 'number') {
      problems.push(problem(`argument \`${name}\` of \`${lib.name}\` takes a number, not \`${value}\``, arg.span, 'expected a number', [`write \`${spec.example}\``]));
      continue;
    }
    const tooLow = spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min);
    const tooHigh = spec.max !== undefined && value > spec.max;
    if (!Number.isFinite(value) || tooLow || tooHigh) {
      problems.push(problem(`argument \`${name}\` of \`${lib.name}\` is ${formatArgValue(value, spec)}, but it must be ${boundsText(spec)}`, arg.span, 'out of range', [`e.g. \`${spec.example}\``]));
    } else if (spec.integer && !Number.isInteger(value)) {
      problems.push(problem(`argument \`${name}\` of \`${lib.name}\` must be a whole number, found ${formatArgValue(value, spec)}`, arg.span, 'not a whole number', [`e.g. \`${spec.example}\``]));
    }
  }
  if (args.equivalent_epochs && args.speedup && Object.prototype.hasOwnProperty.call(lib.args, 'speedup')) {
    problems.push(
      problem(`\`${lib.name}\` takes its budget once: give \`equivalent_epochs\` or \`speedup\`, not both`, args.speedup.span, 'second budget', ['keep one of them; the other follows from the baseline epochs'], []),
    );
  }
  return problems;
}
