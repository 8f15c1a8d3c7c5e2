// A model written on its own, outside an .eft file (the argument of `eft flops`): a catalogue
// name or a family call such as `vit(patch: 4, dim: 64)`. The language's own parser reads it
// as the value of a `model` entry in a one-entry program built around it; every span that
// comes back is moved into the written text, so that columns count from its first character.
import type { CallExpr, Expr, Span } from '../grammar/ast.js';
import { parse } from '../grammar/parse.js';
import { LineMap } from '../grammar/positions.js';
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { KNOWN_DATASETS } from './datasets.js';
import { modelRef } from './elaborate.js';
import type { ModelRef } from './experiment.js';
import { MODEL_NAMES, type FamilyContext } from './models/catalogue.js';
import { checkOpenCallArguments, describeValue } from './values.js';

/** The file name the spans of a standalone model expression carry. */
export const MODEL_EXPRESSION_FILE = '<model>';

const PREFIX = 'experiment standalone { model ';
const SUFFIX = '\n}\n';

/** The well-known data sets a standalone model can be retargeted to. */
export const KNOWN_DATASET_NAMES: readonly string[] = Object.keys(KNOWN_DATASETS);

/** The channels, classes and resolution an experiment on a well-known data set gives its model. */
export function knownDatasetTarget(name: string): FamilyContext | undefined {
  if (!Object.prototype.hasOwnProperty.call(KNOWN_DATASETS, name)) return undefined;
  const known = KNOWN_DATASETS[name];
  return { inChannels: known.channels, numClasses: known.classes, resolution: known.resolution };
}

const USAGE = 'write a catalogue name (`resnet50`) or a family call (`vit(patch: 4, dim: 64)`)';

/** Positional, repeated and non-scalar arguments, which a family call cannot take (as in an .eft file). */
function argumentProblems(call: CallExpr): Diagnostic[] {
  return checkOpenCallArguments(call).map((p) =>
    makeDiagnostic(p.kind === 'argument' ? 'EFT0117' : 'EFT0113', 'error', p.message, { span: p.span, label: p.label, help: p.help, related: p.related }),
  );
}

/**
 * The problems of an expression the parser stopped reading before the end of the text. A
 * complete model followed by more text gets one "unexpected ... after the model"; the parser's
 * own "expected ..." there speaks of the wrapper's entries. A call cut short keeps the
 * parser's first complaint after it ("expected `,` or `)`"), not what cascades from it.
 * Lexical and delimiter problems are kept wherever they are.
 */
function textAfterModel(diagnostics: readonly Diagnostic[], value: Expr, wrapped: LineMap, end: number, help: readonly string[]): Diagnostic[] {
  const valueEnd = value.span.offset + value.span.length;
  const inside = diagnostics.filter((d) => (d.span?.offset ?? 0) < valueEnd);
  const after = diagnostics.filter((d) => (d.span?.offset ?? 0) >= valueEnd);
  const unexpected = (d: Diagnostic) => d.code === SyntaxCode.unexpectedToken;
  const complete = value.kind !== 'Call' || wrapped.text[valueEnd - 1] === ')';
  if (!complete) return [...inside, ...after.filter((d, i) => i === 0 || !unexpected(d))];
  const rest = wrapped.text.slice(valueEnd, end).trim();
  const restStart = wrapped.text.indexOf(rest, valueEnd);
  const shown = rest.length > 24 ? `${rest.slice(0, 23)}…` : rest;
  const trailing = makeDiagnostic(SyntaxCode.unexpectedToken, 'error', `unexpected \`${shown}\` after the model`, {
    span: wrapped.span(restStart, end),
    label: 'not part of the model',
    help: ['write one model, and quote it in the shell', ...help],
  });
  return sortDiagnostics([...inside, ...after.filter((d) => !unexpected(d)), trailing]);
}

/** Moves spans of the wrapped program into the written text (clamped into it). */
class IntoText {
  private readonly lines: LineMap;

  constructor(
    file: string,
    private readonly text: string,
  ) {
    this.lines = new LineMap(file, text);
  }

  /** The text's span of the wrapped program's offsets [from, to). */
  range(from: number, to: number): Span {
    return this.lines.span(from - PREFIX.length, to - PREFIX.length);
  }

  span(span: Span): Span {
    return this.range(span.offset, span.offset + span.length);
  }

  diagnostic(d: Diagnostic): Diagnostic {
    const moved = { ...d, span: d.span && this.span(d.span), related: d.related.map((r) => ({ ...r, span: this.span(r.span) })) };
    // A problem found on the closing part of the wrapper is one at the end of the text.
    if (d.span && d.span.offset >= PREFIX.length + this.text.length) {
      moved.message = moved.message.replace(/found `\}`$/, 'found the end of the model');
      moved.label = 'the model ends here';
    }
    return moved;
  }

  model(model: ModelRef): ModelRef {
    if (model.kind === 'catalogue') return { ...model, span: this.span(model.span) };
    const argSpans = Object.fromEntries(Object.entries(model.argSpans).map(([name, span]) => [name, this.span(span)]));
    return { ...model, span: this.span(model.span), argSpans };
  }
}

/**
 * Parses a standalone model expression. Syntax errors, text around the expression and
 * arguments a family call cannot take come back as diagnostics whose spans lie in `text`.
 */
export function parseModelExpression(text: string, file: string = MODEL_EXPRESSION_FILE): { model: ModelRef } | { diagnostics: Diagnostic[] } {
  const into = new IntoText(file, text);
  const start = PREFIX.length + (text.length - text.trimStart().length);
  const end = PREFIX.length + text.trimEnd().length;
  const wrapped = new LineMap(file, `${PREFIX}${text}${SUFFIX}`);
  // `resnet-18` or `deit small`: a catalogue name mistyped into something else.
  const names = didYouMean(text.trim(), MODEL_NAMES);

  if (text.trim() === '') return { diagnostics: [makeDiagnostic(SyntaxCode.unexpectedToken, 'error', 'no model given', { help: [USAGE] })] };

  const parsed = parse(wrapped.text, file);
  const entry = parsed.ast.decls[0]?.body.entries[0];
  const value = entry?.key.parts.length === 1 && entry.key.parts[0].name === 'model' ? entry.value : undefined;
  if (!value || value.span.offset !== start) {
    const found = makeDiagnostic(SyntaxCode.unexpectedToken, 'error', `expected a model, found \`${text.trim()}\``, { span: into.range(start, end), label: 'not a model', help: [USAGE, ...names] });
    return { diagnostics: [found] };
  }
  const valueEnd = value.span.offset + value.span.length;
  if (valueEnd < end) return { diagnostics: textAfterModel(parsed.diagnostics, value, wrapped, end, names).map((d) => into.diagnostic(d)) };
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics.map((d) => into.diagnostic(d)) };

  if (value.kind !== 'Identifier' && value.kind !== 'Call') {
    return { diagnostics: [makeDiagnostic('EFT0113', 'error', `expected a model, found ${describeValue(value)}`, { span: into.span(value.span), label: 'not a model', help: [USAGE] })] };
  }
  if (value.kind === 'Call') {
    const problems = argumentProblems(value);
    if (problems.length > 0) return { diagnostics: problems.map((d) => into.diagnostic(d)) };
  }
  return { model: into.model(modelRef(entry!)) };
}
