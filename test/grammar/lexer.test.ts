import assert from 'node:assert/strict';
import { lex } from '../../grammar/lex.js';
import { LineMap } from '../../grammar/positions.js';
import type { ILexingResult } from 'chevrotain';
import { Lexer } from '../../grammar/chevrotain.js';
import { buildParser } from '../../grammar/parser.js';
import { allTokens, buildLexer, eftLexer } from '../../grammar/tokens.js';
import { fuzzCases } from './fuzz-support.js';
import { codesOf, eftFilesUnder, parseClean, REFERENCE_EXAMPLE, repoRoot } from './support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NumberLiteral } from '../../grammar/ast.js';

function tokens(text: string): string[] {
  return lex(new LineMap('t.eft', text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

function numberOf(raw: string): NumberLiteral {
  const ast = parseClean(`experiment a { x ${raw} }`);
  const value = ast.decls[0].body.entries[0].value;
  assert.equal(value?.kind, 'Number');
  return value as NumberLiteral;
}

describe('grammar: lexer', () => {
  it('reads numbers with separators, fractions, exponents and units', () => {
    const cases: [string, number, string | undefined][] = [
      ['0', 0, undefined],
      ['300ep', 300, 'ep'],
      ['20%', 20, '%'],
      ['1.5x', 1.5, 'x'],
      ['224px', 224, 'px'],
      ['4e-3', 0.004, undefined],
      ['1E3', 1000, undefined],
      ['2.5e+2s', 250, 's'],
      ['1_281_167', 1281167, undefined],
      ['400h', 400, 'h'],
      ['5000img/s', 5000, 'img/s'],
      ['2e', 2, 'e'],
      ['-1', -1, undefined],
      ['-0.5x', -0.5, 'x'],
    ];
    for (const [raw, value, unit] of cases) {
      const n = numberOf(raw);
      assert.deepEqual({ raw: n.raw, value: n.value, unit: n.unit }, { raw, value, unit }, raw);
    }
  });

  it('keeps `..` and `->` apart from the numbers around them', () => {
    assert.deepEqual(tokens('0..10'), ['NumberLit:0', 'DotDot:..', 'NumberLit:10']);
    assert.deepEqual(tokens('0% .. 50%'), ['NumberLit:0%', 'DotDot:..', 'NumberLit:50%']);
    assert.deepEqual(tokens('0->-9'), ['NumberLit:0', 'Arrow:->', 'NumberLit:-9']);
    assert.deepEqual(tokens('1.5.3'), ['NumberLit:1.5', 'Dot:.', 'NumberLit:3']);
  });

  it('reads punctuation, longest first', () => {
    assert.deepEqual(tokens('<= < >= > = { } ( ) [ ] , : ; . .. ->').map((t) => t.split(':')[0]), [
      'LessEq', 'Less', 'GreaterEq', 'Greater', 'Equals', 'LCurly', 'RCurly', 'LParen', 'RParen',
      'LBracket', 'RBracket', 'Comma', 'Colon', 'Semicolon', 'Dot', 'DotDot', 'Arrow',
    ]);
  });

  it('reserves the keywords but not names that start with them', () => {
    assert.deepEqual(tokens('import experiment sweep table extends within on at in'), [
      'Import:import', 'Experiment:experiment', 'Sweep:sweep', 'Table:table', 'Extends:extends',
      'Within:within', 'On:on', 'At:at', 'In:in',
    ]);
    assert.deepEqual(tokens('inx onset tables _at true false'), [
      'Identifier:inx', 'Identifier:onset', 'Identifier:tables', 'Identifier:_at', 'Identifier:true', 'Identifier:false',
    ]);
  });

  it('treats `steps` as a name everywhere but after `in NUMBER`', () => {
    const ast = parseClean('experiment a { steps 3  x steps  r 0 -> 9 in 10 steps  f(steps: steps) }');
    const [steps, x, r, f] = ast.decls[0].body.entries;
    assert.equal(steps.key.parts[0].name, 'steps');
    assert.deepEqual(x.value, { kind: 'Identifier', name: 'steps', span: x.value!.span });
    assert.equal(r.value?.kind === 'Ramp' && r.value.steps?.value, 10);
    assert.equal(f.value?.kind === 'Call' && f.value.args[0].name?.name, 'steps');
  });

  it('decodes string escapes', () => {
    const ast = parseClean(String.raw`experiment a { s "q\" b\\ n\n t\t u\u{41}\u{1F600}" }`);
    const value = ast.decls[0].body.entries[0].value;
    assert.deepEqual(value?.kind === 'String' && value.value, 'q" b\\ n\n t\t uA😀');
  });

  it('collects comments with their spans, without trailing spaces', () => {
    const { comments } = lex(new LineMap('t.eft', 'x 1  # one  \n# two\n'));
    assert.deepEqual(
      comments.map((c) => [c.text, c.span.line, c.span.column, c.span.length]),
      [
        ['# one', 1, 6, 5],
        ['# two', 2, 1, 5],
      ],
    );
  });

  it('treats only space, tab, CR and LF as white space', () => {
    assert.deepEqual(codesOf('experiment a {\r\n\tx 1\r\n}\r\n'), []);
    assert.deepEqual(codesOf('experiment a {\u00a0x 1 }'), ['EFT0001']);
    assert.deepEqual(codesOf('experiment a {\fx 1 }'), ['EFT0001']);
  });

  it('reports a run of unknown characters once', () => {
    const text = 'experiment a { x @@$ 1 }';
    const { diagnostics } = lex(new LineMap('t.eft', text));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].message, 'unexpected characters `@@$`');
    assert.deepEqual([diagnostics[0].span?.column, diagnostics[0].span?.length], [18, 3]);
  });

  it('names invisible characters by code point', () => {
    const { diagnostics } = lex(new LineMap('t.eft', 'a \u200b b \u0007'));
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ['unexpected character U+200B', 'unexpected character U+0007'],
    );
  });

  it('rejects numbers that do not fit a double, both ways', () => {
    const text = 'experiment a { big 1e999  small 1e-400  long 1_0000000000000000000000000000000000000000 }';
    const { diagnostics } = lex(new LineMap('t.eft', text));
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ['number `1e999` is out of range', 'number `1e-400` is out of range'],
    );
  });

  it('never lets an infinite number into the AST', () => {
    const { tokens: toks } = lex(new LineMap('t.eft', '1e999 -1e999'));
    assert.deepEqual(
      toks.map((t) => (t.payload as { value: number }).value),
      [Number.MAX_VALUE, -Number.MAX_VALUE],
    );
  });

  it('reports each bad escape with its own span', () => {
    const text = String.raw`x "a\qb\u{D800}\u{}\u41"`;
    const { diagnostics } = lex(new LineMap('t.eft', text));
    assert.deepEqual(
      diagnostics.map((d) => [d.message, text.slice(d.span!.offset, d.span!.offset + d.span!.length)]),
      [
        ['invalid escape sequence `\\q`', '\\q'],
        ['`\\u{D800}` is not a Unicode scalar value', '\\u{D800}'],
        ['invalid escape sequence `\\u{}`', '\\u{}'],
        ['invalid escape sequence `\\u`', '\\u'],
      ],
    );
  });

  it('ends an unterminated string at the end of its line and goes on', () => {
    const text = 'experiment a {\n  t "abc\n  x 1\n}';
    const { diagnostics } = lex(new LineMap('t.eft', text));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span?.line, d.span?.column, d.span?.length]),
      [['EFT0002', 2, 5, 4]],
    );
    assert.deepEqual(codesOf(text), ['EFT0002']);
  });

  // `eft` builds its lexer and parser without Chevrotain's definition checks (they cost start-up
  // time); these tests run the checks and compare the fast lexer with an unoptimised one.
  it('passes Chevrotain\'s checks of the token definitions and the grammar', () => {
    // Both throw on a definition error when the checks run.
    assert.deepEqual(buildLexer(true).lexerDefinitionErrors, []);
    assert.doesNotThrow(() => buildParser(true));
  });

  it('tokenises like a lexer that analyses every pattern itself (start-character hints are right)', () => {
    const reference = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true, lineTerminatorsPattern: /\n/, lineTerminatorCharacters: ['\n'] });
    const sources = [REFERENCE_EXAMPLE, ...eftFilesUnder(join(repoRoot(), 'examples')).map((f) => readFileSync(f, 'utf8'))];
    let compared = 0;
    for (const c of fuzzCases(7, 2000, sources, false)) {
      const text = c.text ?? new TextDecoder().decode(c.bytes);
      const shape = (r: ILexingResult) => [r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`), r.errors.map((e) => `${e.offset}+${e.length}`)];
      assert.deepEqual(shape(eftLexer.tokenize(text)), shape(reference.tokenize(text)), c.name);
      compared++;
    }
    assert.equal(compared, 2000);
  });
});

