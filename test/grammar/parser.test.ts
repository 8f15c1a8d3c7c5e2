import assert from 'node:assert/strict';
import { parse } from '../../grammar/parse.js';
import { stripSpans } from '../../grammar/strip-spans.js';
import type { EntryNode, Expr } from '../../grammar/ast.js';
import { codesOf, parseClean, REFERENCE_EXAMPLE } from './support.js';

/** The entries of `experiment a { BODY }`, without spans. */
function entries(body: string): EntryNode[] {
  return stripSpans(parseClean(`experiment a { ${body} }`).decls[0].body.entries);
}

function value(body: string): Expr {
  const [entry] = entries(body);
  assert.ok(entry.value, 'the entry has a value');
  return entry.value;
}

const id = (name: string) => ({ kind: 'Identifier', name });
const num = (raw: string, v: number, unit?: string) => ({ kind: 'Number', value: v, raw, ...(unit ? { unit } : {}) });
const key = (...parts: string[]) => ({ kind: 'KeyPath', parts: parts.map(id) });

describe('grammar: parser', () => {
  it('parses the reference example without diagnostics', () => {
    const ast = parseClean(REFERENCE_EXAMPLE, 'ex.eft');
    assert.deepEqual(
      ast.imports.map((i) => i.path.value),
      ['common.eft'],
    );
    assert.deepEqual(
      ast.decls.map((d) => [d.keyword, d.name.name, d.base?.name]),
      [
        ['experiment', 'deit_s_etpp', 'deit_base'],
        ['experiment', 'custom', 'deit_s_etpp'],
        ['sweep', 'seeds', 'deit_s_etpp'],
        ['table', 'main', undefined],
      ],
    );
    assert.deepEqual(
      ast.decls[0].body.entries.map((e) => e.key.parts.map((p) => p.name).join('.')),
      ['model', 'dataset', 'baseline', 'budget', 'curriculum', 'curriculum.randaugment.m', 'train'],
    );
    assert.deepEqual(ast.comments.map((c) => c.text), ['# shared datasets']);
  });

  it('pins the spans of nodes of the reference example', () => {
    const ast = parseClean(REFERENCE_EXAMPLE, 'ex.eft');
    const pos = (s: { line: number; column: number; endLine: number; endColumn: number }) => [s.line, s.column, s.endLine, s.endColumn];
    assert.deepEqual(pos(ast.imports[0].span), [1, 1, 1, 20]);
    assert.deepEqual(pos(ast.decls[0].span), [2, 1, 12, 2]);
    assert.deepEqual(pos(ast.decls[0].name.span), [2, 12, 2, 23]);
    const budget = ast.decls[0].body.entries[3];
    assert.deepEqual(pos(budget.span), [6, 3, 6, 77]);
    const hours = budget.block!.entries[1];
    assert.deepEqual(pos(hours.span), [6, 40, 6, 75]);
    assert.deepEqual(pos(hours.comparator!.span), [6, 53, 6, 55]);
    assert.deepEqual(hours.modifiers.map((m) => [m.keyword, ...pos(m.span)]), [
      ['on', 6, 61, 6, 68],
      ['at', 6, 69, 6, 75],
    ]);
    const curriculum = ast.decls[0].body.entries[4];
    assert.deepEqual(pos(curriculum.span), [7, 3, 9, 4]);
    const ramp = ast.decls[0].body.entries[5].value!;
    assert.deepEqual([ramp.kind, ...pos(ramp.span)], ['Ramp', 10, 28, 10, 46]);
    assert.deepEqual(ast.comments[0].span, { file: 'ex.eft', offset: 22, length: 17, line: 1, column: 23, endLine: 1, endColumn: 40 });
    const span = ast.decls[3].span;
    assert.equal(REFERENCE_EXAMPLE.slice(span.offset, span.offset + span.length), REFERENCE_EXAMPLE.trimEnd().split('\n').pop());
  });

  it('parses every kind of value', () => {
    assert.deepEqual(value('x 300ep'), num('300ep', 300, 'ep'));
    assert.deepEqual(value('x "s"'), { kind: 'String', value: 's' });
    assert.deepEqual(value('x deit'), id('deit'));
    assert.deepEqual(value('x [1, a, "s",]'), { kind: 'List', items: [num('1', 1), id('a'), { kind: 'String', value: 's' }] });
    assert.deepEqual(value('x []'), { kind: 'List', items: [] });
    assert.deepEqual(value('x [[1], []]'), { kind: 'List', items: [{ kind: 'List', items: [num('1', 1)] }, { kind: 'List', items: [] }] });
    assert.deepEqual(value('x f()'), { kind: 'Call', callee: id('f'), args: [] });
    assert.deepEqual(value('x adamw(lr: 4e-3, deit, g(1),)'), {
      kind: 'Call',
      callee: id('adamw'),
      args: [
        { kind: 'Arg', name: id('lr'), value: num('4e-3', 0.004) },
        { kind: 'Arg', value: id('deit') },
        { kind: 'Arg', value: { kind: 'Call', callee: id('g'), args: [{ kind: 'Arg', value: num('1', 1) }] } },
      ],
    });
    assert.deepEqual(value('x 0% .. 50%'), { kind: 'Range', from: num('0%', 0, '%'), to: num('50%', 50, '%') });
    assert.deepEqual(value('x 0 -> 9'), { kind: 'Ramp', from: num('0', 0), to: num('9', 9) });
    assert.deepEqual(value('x 96px -> 224px in 4 steps'), { kind: 'Ramp', from: num('96px', 96, 'px'), to: num('224px', 224, 'px'), steps: num('4', 4) });
    assert.deepEqual(value('x f(a: 1 .. 2, b: [0] -> [1])'), {
      kind: 'Call',
      callee: id('f'),
      args: [
        { kind: 'Arg', name: id('a'), value: { kind: 'Range', from: num('1', 1), to: num('2', 2) } },
        { kind: 'Arg', name: id('b'), value: { kind: 'Ramp', from: { kind: 'List', items: [num('0', 0)] }, to: { kind: 'List', items: [num('1', 1)] } } },
      ],
    });
  });

  it('parses every form of entry', () => {
    assert.deepEqual(entries('speedup 1.5x within 2%  device_hours <= 400h on a100 at 40%  seed = 0  b { }  d.e.f 1'), [
      { kind: 'Entry', key: key('speedup'), value: num('1.5x', 1.5, 'x'), modifiers: [{ kind: 'Modifier', keyword: 'within', value: num('2%', 2, '%') }] },
      {
        kind: 'Entry',
        key: key('device_hours'),
        comparator: { op: '<=' },
        value: num('400h', 400, 'h'),
        modifiers: [
          { kind: 'Modifier', keyword: 'on', value: id('a100') },
          { kind: 'Modifier', keyword: 'at', value: num('40%', 40, '%') },
        ],
      },
      { kind: 'Entry', key: key('seed'), comparator: { op: '=' }, value: num('0', 0), modifiers: [] },
      { kind: 'Entry', key: key('b'), modifiers: [], block: { kind: 'Block', entries: [] } },
      { kind: 'Entry', key: key('d', 'e', 'f'), value: num('1', 1), modifiers: [] },
    ]);
    assert.deepEqual(
      entries('a < 1  b > 2  c >= 3  d <= 4  e = 5').map((e) => e.comparator?.op),
      ['<', '>', '>=', '<=', '='],
    );
  });

  it('ends an entry at its value, so that the next name starts the next entry', () => {
    assert.deepEqual(
      entries('model deit_small dataset cifar10 { classes 10 } flag true').map((e) => [e.key.parts[0].name, e.value?.kind === 'Identifier' ? e.value.name : undefined, e.block?.entries.length]),
      [
        ['model', 'deit_small', undefined],
        ['dataset', 'cifar10', 1],
        ['flag', 'true', undefined],
      ],
    );
  });

  it('reads `key(args)` as `key key(args)`', () => {
    const short = entries('randaugment(m: 4, n: 2) ; a.replay(r: 1) { x 1 }');
    assert.deepEqual(short[0], {
      kind: 'Entry',
      key: key('randaugment'),
      value: { kind: 'Call', callee: id('randaugment'), args: [{ kind: 'Arg', name: id('m'), value: num('4', 4) }, { kind: 'Arg', name: id('n'), value: num('2', 2) }] },
      modifiers: [],
    });
    assert.deepEqual(short[1].value, { kind: 'Call', callee: id('replay'), args: [{ kind: 'Arg', name: id('r'), value: num('1', 1) }] });
    assert.equal(short[1].block?.entries.length, 1);
    assert.deepEqual(entries('randaugment randaugment(m: 4, n: 2)')[0], short[0]);
  });

  it('reads `template` as a declaration at the top level and as a name inside blocks', () => {
    const ast = parseClean('template recipe extends base { template "comparison"  x template }\ntable t { template "t" }');
    assert.deepEqual(
      ast.decls.map((d) => [d.keyword, d.name.name, d.base?.name]),
      [
        ['template', 'recipe', 'base'],
        ['table', 't', undefined],
      ],
    );
    const [first, second] = stripSpans(ast.decls[0].body.entries);
    assert.deepEqual(first, { kind: 'Entry', key: key('template'), value: { kind: 'String', value: 'comparison' }, modifiers: [] });
    assert.deepEqual(second.value, id('template'));
    const named = parseClean('template template {}\nexperiment e extends template {}');
    assert.deepEqual(named.decls.map((d) => [d.keyword, d.name.name, d.base?.name]), [
      ['template', 'template', undefined],
      ['experiment', 'e', 'template'],
    ]);
  });

  it('accepts `;` between entries and a trailing `;`', () => {
    assert.equal(entries('a 1; b 2 ; c 3;').length, 3);
  });

  it('parses files of imports only, declarations only, or nothing', () => {
    assert.equal(parseClean('').decls.length, 0);
    assert.equal(parseClean('# only a comment\n').comments.length, 1);
    assert.equal(parseClean('import "a.eft"\nimport "b.eft"').imports.length, 2);
    assert.equal(parseClean('sweep s {}\ntable t {}').decls.length, 2);
  });

  it('reports every syntax error of a file in one run', () => {
    const text = ['experiment a {', '  model', '}', 'experiment b {', '  x 1, y 2', '}', 'experiment c {', '  z [1 2]', '}'].join('\n');
    const { diagnostics } = parse(text, 't.eft');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span?.line, d.message]),
      [
        ['EFT0005', 3, 'expected a value or `{` after `model`, found `}`'],
        ['EFT0005', 5, 'expected an entry or `}`, found `,`'],
        ['EFT0005', 8, 'expected `,` or `]`, found `2`'],
      ],
    );
  });

  it('returns a best-effort AST when there are errors', () => {
    const { ast, diagnostics } = parse('experiment a { x 1 y }\nexperiment b { z 2 }', 't.eft');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(ast.decls.map((d) => d.name.name), ['a', 'b']);
    assert.deepEqual(ast.decls[1].body.entries.map((e) => e.key.parts[0].name), ['z']);
  });

  it('describes what was expected and what was found', () => {
    const messages = (text: string) => parse(text, 't.eft').diagnostics.map((d) => d.message);
    assert.deepEqual(messages('experiment { }'), ['expected a name, found `{`']);
    assert.deepEqual(messages('experiment a { x 1 } }'), ['expected `import`, `experiment`, `template`, `sweep` or `table`, found `}`']);
    assert.deepEqual(messages('model x'), ['expected `import`, `experiment`, `template`, `sweep` or `table`, found `model`']);
    assert.deepEqual(messages('experiment a { x f(1 2) }'), ['expected `,` or `)`, found `2`']);
    assert.deepEqual(messages('experiment a { x f(,) }'), ['expected an argument or `)`, found `,`']);
    assert.deepEqual(messages('experiment a { x [,] }'), ['expected a value or `]`, found `,`']);
    assert.deepEqual(messages('experiment a { x 0 -> 9 in 10 }'), ['expected `steps`, found `}`']);
    assert.deepEqual(messages('experiment a { x 0 -> 9 in ten steps }'), ['expected a number, found `ten`']);
    assert.deepEqual(messages('experiment a { x within }'), ['expected a value or `{` after `x`, found `within`']);
    assert.deepEqual(messages('experiment a { x 1 within }'), ['expected a value, found `}`']);
    assert.deepEqual(messages('import x'), ['expected a string, found `x`']);
  });

  it('names the next declaration, not the end of the file, when a declaration is cut short', () => {
    const found = (text: string) => parse(text, 't.eft').diagnostics.map((d) => [d.message, d.span?.line, d.span?.column, d.help]);
    assert.deepEqual(found('experiment a extends\nexperiment b {}'), [['expected a name, found `experiment`', 2, 1, []]]);
    assert.deepEqual(found('import\nsweep s {}'), [['expected a string, found `sweep`', 2, 1, []]]);
    assert.deepEqual(found('experiment a\ntable t {}\nexperiment'), [
      ['expected `{`, found `table`', 2, 1, []],
      ['expected a name, found end of file', 3, 11, []],
    ]);
  });

  it('points errors at the end of the file right after the last token', () => {
    const text = 'experiment a {\n  x 1 ..\n\n# trailing comment\n';
    const { diagnostics } = parse(text, 't.eft');
    const atEnd = diagnostics.filter((d) => d.span?.length === 0);
    assert.ok(atEnd.length > 0);
    for (const d of atEnd) assert.deepEqual([d.span?.line, d.span?.column, d.span?.offset], [2, 9, text.indexOf('..') + 2]);
  });

  it('adds help for common slips', () => {
    const help = (text: string) => parse(text, 't.eft').diagnostics.flatMap((d) => d.help);
    assert.deepEqual(help('experiment a { model: deit }'), ['write `model value`']);
    assert.deepEqual(help('experiment a { x 1, y 2 }'), ['entries are separated by line breaks or `;`, not `,`']);
    assert.deepEqual(help('experiment a { on 1 }'), ['`on` is a reserved word and cannot be used as a name']);
    assert.deepEqual(help('experiment a { x 1 experiment b {} }'), ['a declaration cannot appear inside another; is a `}` missing before it?']);
  });

  it('allows 64 levels of nesting and reports the 65th', () => {
    const nested = (n: number) => `experiment a { x ${'['.repeat(n)}${']'.repeat(n)} }`;
    assert.deepEqual(codesOf(nested(63)), []);
    // The declaration's block is the first level.
    assert.deepEqual(codesOf(nested(64)), ['EFT0007']);
    const { diagnostics } = parse(nested(100), 't.eft');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span?.column]), [['EFT0007', 18 + 63]]);
  });

  it('survives nesting far beyond the limit', () => {
    for (const text of ['['.repeat(100_000), `experiment a { x ${'f('.repeat(50_000)} }`, `experiment a { ${'x {'.repeat(50_000)} }`]) {
      const { diagnostics } = parse(text, 't.eft');
      assert.ok(diagnostics.some((d) => d.code === 'EFT0007'));
      assert.ok(diagnostics.length < 60);
    }
  });

  it('reports an unclosed delimiter once, not again as an unexpected token', () => {
    assert.deepEqual(codesOf('experiment a {\n  x 1\n'), ['EFT0006']);
    assert.deepEqual(codesOf('experiment a { x f(1 }'), ['EFT0006']);
    assert.deepEqual(codesOf('experiment a { x [f(1 }'), ['EFT0006', 'EFT0006']);
  });

  it('reports imports after a declaration but keeps them', () => {
    const { ast, diagnostics } = parse('experiment a {}\nimport "b.eft"', 't.eft');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.help]), [['EFT0008', ['move imports to the top of the file']]]);
    assert.equal(ast.imports.length, 1);
  });

  it('never throws and keeps spans inside the text on hostile input', () => {
    for (const text of ['\u0000', '\ud800', '"\\', '"\\u{', '1e', '-', '->', '..', '#', 'experiment', 'experiment a', 'experiment a {', 'experiment a { x', 'experiment a { x 0 ->']) {
      const { diagnostics } = parse(text, 't.eft');
      for (const d of diagnostics) {
        assert.ok(d.span, `${JSON.stringify(text)}: ${d.message}`);
        assert.ok(d.span.offset + d.span.length <= text.length, `${JSON.stringify(text)}: ${d.message}`);
      }
    }
  });
});
