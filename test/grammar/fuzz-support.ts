// Generators and properties of the grammar fuzzing (test/grammar/fuzz.test.ts, bench/fuzz.ts).
// Every case is derived from a seed, so a failure can be replayed from the seed it prints.
import type { Span } from '../../grammar/ast.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { decodeSource } from '../../grammar/source.js';
import { parse } from '../../grammar/parse.js';
import { formatSource } from '../../grammar/format.js';
import { print } from '../../grammar/print.js';
import { LineMap } from '../../grammar/positions.js';

/** mulberry32: a small, fast, seedable generator. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const VOCABULARY = [
  'import', 'experiment', 'template', 'sweep', 'table', 'extends', 'within', 'on', 'at', 'in', 'steps', 'model', 'x', 'a.b',
  '_', 'true', '0', '-1', '1.5x', '300ep', '20%', '4e-3', '2e', '1_281_167', '5000img/s', '1e999', '-1e-999',
  '"s"', '"esc\\n\\u{41}"', '"bad\\q"', '"open', '{', '}', '(', ')', '[', ']', ',', ':', ';', '.', '..', '->',
  '<=', '>=', '<', '>', '=', '#c', '@', '\u00a0', '\u00e9', '\ud83d\ude00', '\ud800', '\r', '\t', '\n', ' ', '\\', "'",
];

const PALETTE = ['{', '}', '(', ')', '[', ']', '"', '\\', '#', '\n', ' ', ',', ':', '.', '-', '>', '0', '9', 'e', '%', 'x', '\u0000', '\ufeff', '\ud800', '\u00e9', '\u2028'];

/** 1 to 4 random edits of a valid source: deletions, insertions, duplications, character swaps. */
export function mutate(source: string, rng: Rng): string {
  let text = source;
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(text.length + 1);
    switch (rng.int(5)) {
      case 0:
        text = text.slice(0, at) + text.slice(at + 1 + rng.int(12));
        break;
      case 1:
        text = text.slice(0, at) + rng.pick(VOCABULARY) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + rng.pick(PALETTE) + text.slice(at + 1);
        break;
      case 3: {
        const from = rng.int(text.length + 1);
        text = text.slice(0, at) + text.slice(from, from + 1 + rng.int(40)) + text.slice(at);
        break;
      }
      default:
        text = text.slice(0, at) + rng.pick(PALETTE) + text.slice(at);
    }
  }
  return text;
}

export function randomTokens(rng: Rng): string {
  const count = rng.int(60);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(rng.pick(VOCABULARY), rng.pick([' ', ' ', '', '\n', '  ']));
  return parts.join('');
}

/** Inputs at the edges: empty, deep nesting, extreme numbers. */
export function edgeCases(): string[] {
  const deep = 10_000;
  return [
    '',
    ' ',
    '\n\n',
    '#',
    '"',
    '{',
    '}',
    '['.repeat(deep),
    ']'.repeat(deep),
    '{'.repeat(deep),
    '('.repeat(deep),
    `experiment a { x ${'['.repeat(deep)} }`,
    `experiment a { x ${'['.repeat(deep)}${']'.repeat(deep)} }`,
    `experiment a { ${'x {'.repeat(deep)}${'}'.repeat(deep)} }`,
    `experiment a { x ${'f('.repeat(deep)}${')'.repeat(deep)} }`,
    `experiment a { x ${'['.repeat(64)}${']'.repeat(64)} }`,
    `experiment a { x ${'['.repeat(63)}${']'.repeat(63)} }`,
    `experiment a { x ${'9'.repeat(400)} y -${'9'.repeat(400)} z 1e308 w 1e309 v 5e-324 u 1e-400 t 0e999 s ${'1_'.repeat(200)}1 }`,
    `experiment a { x ${'-'.repeat(100)}1 }`,
    `experiment a { x "${'\\'.repeat(999)}" }`,
    `experiment a { x "${'\\u{'.repeat(50)}" }`,
    'experiment a { x "\\u{D800}" y "\\u{110000}" z "\\u{}" w "\\u{1234567}" }',
    `experiment ${'a'.repeat(100_000)} {}`,
    'x'.repeat(50_000),
    '#'.repeat(50_000),
    `experiment a { ${'x 1\n'.repeat(5000)} }`,
  ];
}

/** Byte inputs: invalid UTF-8 inside valid text, random bytes, binary files, byte order marks. */
export function byteCases(source: string, rng: Rng, count: number): Uint8Array[] {
  const base = new TextEncoder().encode(source);
  const cases: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xff, 0xfe, 0x65, 0x00)];
  const invalid = [[0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xf0, 0x9f, 0x98]];
  for (let i = 0; i < count; i++) {
    const kind = rng.int(3);
    if (kind === 0) {
      const bytes = new Uint8Array(rng.int(300));
      for (let k = 0; k < bytes.length; k++) bytes[k] = rng.int(256);
      cases.push(bytes);
    } else {
      const at = rng.int(base.length + 1);
      const insert = kind === 1 ? rng.pick(invalid) : [0];
      cases.push(Uint8Array.from([...base.subarray(0, at), ...insert, ...base.subarray(at)]));
    }
  }
  return cases;
}

function spanProblem(span: Span, text: string, lines: LineMap): string | undefined {
  if (!(span.offset >= 0 && span.length >= 0 && span.offset + span.length <= text.length)) return `span ${span.offset}+${span.length} outside text of length ${text.length}`;
  const expected = lines.span(span.offset, span.offset + span.length);
  for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) {
    if (span[key] !== expected[key]) return `span ${key} ${span[key]} but offset ${span.offset}+${span.length} is at ${expected[key]}`;
  }
  return undefined;
}

function diagnosticProblem(d: Diagnostic, text: string, lines: LineMap): string | undefined {
  if (d.code === 'EFT0099') return `internal error: ${d.message}`;
  for (const span of [d.span, ...d.related.map((r) => r.span)]) {
    if (!span) continue;
    const problem = spanProblem(span, text, lines);
    if (problem) return `${d.code} ${d.message}: ${problem}`;
  }
  return undefined;
}

/** Checks every property on one text; returns what went wrong, or undefined. */
export function checkText(text: string): string | undefined {
  let parsed;
  try {
    parsed = parse(text, 'fuzz.eft');
  } catch (err) {
    return `parse threw: ${err instanceof Error ? err.stack : String(err)}`;
  }
  const lines = new LineMap('fuzz.eft', text);
  for (const d of parsed.diagnostics) {
    const problem = diagnosticProblem(d, text, lines);
    if (problem) return problem;
  }
  const bad = astProblem(parsed.ast, text, lines);
  if (bad) return bad;
  if (parsed.diagnostics.length > 0) return undefined;
  let formatted;
  try {
    formatted = formatSource(text, 'fuzz.eft');
  } catch (err) {
    return `formatSource threw: ${err instanceof Error ? err.stack : String(err)}`;
  }
  if (formatted.output === undefined) return `no formatted output for a file without errors: ${formatted.diagnostics.map((d) => d.message).join('; ')}`;
  const reparsed = parse(formatted.output, 'fuzz.eft');
  if (reparsed.diagnostics.length > 0) return `the formatted text has errors: ${reparsed.diagnostics.map((d) => d.message).join('; ')}\n${formatted.output}`;
  const again = print(reparsed.ast);
  if (again !== formatted.output) return `formatting is not idempotent:\n--- first\n${formatted.output}\n--- second\n${again}`;
  return undefined;
}

export function checkBytes(bytes: Uint8Array): string | undefined {
  let decoded;
  try {
    decoded = decodeSource(bytes, 'fuzz.eft');
  } catch (err) {
    return `decodeSource threw: ${err instanceof Error ? err.stack : String(err)}`;
  }
  const lines = new LineMap('fuzz.eft', decoded.text);
  for (const d of decoded.diagnostics) {
    const problem = diagnosticProblem(d, decoded.text, lines);
    if (problem) return problem;
  }
  return checkText(decoded.text);
}

/** The first problem of the AST: a number that is not finite, or a span that does not fit the text. */
function astProblem(node: unknown, text: string, lines: LineMap): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = astProblem(item, text, lines);
      if (found) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const o = node as Record<string, unknown>;
  if (o.kind === 'Number' && !Number.isFinite(o.value)) return `a number in the AST is ${String(o.value)}`;
  for (const key in o) {
    const value = o[key];
    if (key === 'span') {
      const problem = spanProblem(value as Span, text, lines);
      if (problem) return `${String(o.kind)} node: ${problem}`;
    } else if (value !== null && typeof value === 'object') {
      const found = astProblem(value, text, lines);
      if (found) return found;
    }
  }
  return undefined;
}

export interface FuzzCase {
  name: string;
  text?: string;
  bytes?: Uint8Array;
}

/**
 * `count` cases from `seed`: mutations of the seed sources, random token streams, byte-level
 * cases; plus (when `withFixed`) every truncation of the first source and the edge cases.
 */
export function* fuzzCases(seed: number, count: number, sources: readonly string[], withFixed: boolean): Generator<FuzzCase> {
  const rng = new Rng(seed);
  if (withFixed) {
    const first = sources[0];
    for (let at = 0; at <= first.length; at++) yield { name: `truncation at ${at}`, text: first.slice(0, at) };
    for (const [i, text] of edgeCases().entries()) yield { name: `edge case ${i}`, text };
  }
  for (let i = 0; i < count; i++) {
    const roll = rng.next();
    if (roll < 0.7) yield { name: `mutation ${i}`, text: mutate(rng.pick(sources), rng) };
    else if (roll < 0.9) yield { name: `token stream ${i}`, text: randomTokens(rng) };
    else yield { name: `bytes ${i}`, bytes: byteCases(rng.pick(sources), rng, 1).pop()! };
  }
}

export function checkCase(c: FuzzCase): string | undefined {
  return c.bytes ? checkBytes(c.bytes) : checkText(c.text ?? '');
}

export function describeCase(c: FuzzCase): string {
  if (c.bytes) return `${c.name}: bytes [${Array.from(c.bytes.subarray(0, 400)).join(',')}${c.bytes.length > 400 ? ',…' : ''}]`;
  const text = c.text ?? '';
  return `${c.name}: ${JSON.stringify(text.length > 2000 ? `${text.slice(0, 2000)}…` : text)}`;
}
