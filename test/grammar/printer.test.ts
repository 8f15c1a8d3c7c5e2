import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/parse.js';
import { print } from '../../grammar/print.js';
import { formatSource } from '../../grammar/format.js';
import { stripSpans } from '../../grammar/strip-spans.js';
import { AstGenerator } from './ast-generator.js';
import { Rng } from './fuzz-support.js';
import { eftFilesUnder, FIXTURES, fixture, parseClean, REFERENCE_EXAMPLE, repoRoot } from './support.js';

function format(text: string): string {
  const result = formatSource(text, 'test.eft');
  assert.ok(result.output !== undefined, result.diagnostics.map((d) => d.message).join('\n'));
  return result.output;
}

/** Formats, then checks the two properties every output must have. */
function checkRoundTrip(text: string, name: string): void {
  const first = parseClean(text, name);
  const once = print(first);
  const again = parseClean(once, name);
  assert.deepEqual(stripSpans(again), stripSpans(first), `${name}: printing changed the AST`);
  assert.equal(print(again), once, `${name}: printing is not idempotent`);
}

describe('grammar: printer', () => {
  it('prints a messy file in the pinned canonical layout', () => {
    assert.equal(format(fixture('printer/messy.eft')), fixture('printer/messy.formatted.eft'));
  });

  it('keeps every comment, in order', () => {
    const messy = fixture('printer/messy.eft');
    const before = parseClean(messy).comments.map((c) => c.text);
    assert.deepEqual(parseClean(format(messy)).comments.map((c) => c.text), before);
    assert.ok(before.length >= 15);
  });

  it('prints the reference example canonically', () => {
    assert.equal(
      format(REFERENCE_EXAMPLE),
      `import "common.eft"  # shared datasets

experiment deit_s_etpp extends deit_base {
  model deit_small
  dataset imagenet1k { path "/data/imagenet"  resolution 224px  classes 1000  images 1_281_167 }
  baseline { epochs 300ep }
  budget { speedup 1.5x within 2%  device_hours <= 400h on a100 at 40% }
  curriculum efficienttrain_pp(family: deit, equivalent_epochs: 200ep) {
    stage 8 { resolution 224px }
  }
  curriculum.randaugment.m 0 -> 9 in 10 steps
  train {
    optimizer adamw(lr: 4e-3, weight_decay: 0.05)
    schedule cosine(warmup: 20%)
    batch 4096
    seed 0
  }
}

experiment custom extends deit_s_etpp {
  curriculum {
    stage 0% .. 50% { resolution 160px  randaugment(m: 4, n: 2, mstd: 0.5) }
    stage 50% .. 100% { resolution 224px  replay(r: 1, k: 0)  low_pass fft }
  }
}

sweep seeds extends deit_s_etpp {
  vary { train.seed [0, 1, 2]  model [deit_tiny, deit_small] }
}

table main {
  template "comparison"
  rows [deit_s_etpp, custom]
  columns [model, top1, speedup]
}
`,
    );
  });

  it('is idempotent and keeps the AST on every valid fixture and example', () => {
    const files = [...eftFilesUnder(FIXTURES), ...eftFilesUnder(join(repoRoot(), 'examples'))];
    let valid = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      if (parse(text, path).diagnostics.length > 0) {
        assert.equal(formatSource(text, path).output, undefined, `${path} has errors and must not be formatted`);
        continue;
      }
      checkRoundTrip(text, path);
      valid++;
    }
    assert.ok(valid >= 2);
  });

  it('round-trips 400 generated ASTs', () => {
    const rng = new Rng(20240611);
    const generator = new AstGenerator(rng);
    for (let i = 0; i < 400; i++) {
      const ast = generator.file();
      const text = print(ast);
      const reparsed = parse(text, 'gen.eft');
      assert.deepEqual(reparsed.diagnostics, [], `case ${i}:\n${text}`);
      assert.deepEqual(stripSpans(reparsed.ast), stripSpans(ast), `case ${i}:\n${text}`);
      assert.equal(print(reparsed.ast), text, `case ${i} is not idempotent`);
    }
  });

  it('prints short blocks on one line and others one entry per line', () => {
    assert.equal(format('experiment a { b { x 1 ; y 2 } }'), 'experiment a {\n  b { x 1  y 2 }\n}\n');
    assert.equal(format('experiment a { b { p 1 q 2 r 3 s 4 t 5 } }'), 'experiment a {\n  b {\n    p 1\n    q 2\n    r 3\n    s 4\n    t 5\n  }\n}\n');
    assert.equal(format('experiment a { b { c { d 1 } } }'), 'experiment a {\n  b {\n    c { d 1 }\n  }\n}\n');
    const long = `experiment a { b { name "${'n'.repeat(80)}"  other 2 } }`;
    assert.equal(format(long), `experiment a {\n  b {\n    name "${'n'.repeat(80)}"\n    other 2\n  }\n}\n`);
    assert.equal(format('experiment a { b {} c [] d f() }'), 'experiment a {\n  b {}\n  c []\n  d f()\n}\n');
  });

  it('breaks lists and calls that pass 100 columns, one item per line with a trailing comma', () => {
    const items = Array.from({ length: 12 }, (_, i) => `model_${i}`);
    assert.equal(format(`experiment a { rows [${items.join(',')}] }`), `experiment a {\n  rows [\n${items.map((i) => `    ${i},\n`).join('')}  ]\n}\n`);
    const fits = `experiment a {\n  rows [${items.slice(0, 8).join(', ')}]\n}\n`;
    assert.equal(format(fits), fits);
    assert.ok(fits.split('\n').every((l) => l.length <= 100));
  });

  it('keeps at most one blank line and always one between declarations', () => {
    assert.equal(format('experiment a {\n\n\n  x 1\n\n\n\n  y 2\n\n}\nexperiment b {}'), 'experiment a {\n  x 1\n\n  y 2\n}\n\nexperiment b {}\n');
    assert.equal(format('import "a"\n\n\n\nimport "b"\nexperiment c {}\n\n\n\n\ntable d {}\n'), 'import "a"\n\nimport "b"\n\nexperiment c {}\n\ntable d {}\n');
  });

  it('places comments: own line before, end of line after, inner ones before their entry', () => {
    const text = [
      '# file',
      'experiment a {  # opens',
      '  # before x',
      '  x 1  # after x',
      '  y # inside y',
      '    2',
      '  z [1,  # after 1',
      '     2]',
      '  # last',
      '}  # closes',
    ].join('\n');
    assert.equal(
      format(text),
      [
        '# file',
        'experiment a {  # opens',
        '  # before x',
        '  x 1  # after x',
        '  # inside y',
        '  y 2',
        '  z [',
        '    1,  # after 1',
        '    2,',
        '  ]',
        '  # last',
        '}  # closes',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for an empty file and keeps a file of comments', () => {
    assert.equal(format(''), '');
    assert.equal(format('\n\n  \n'), '');
    assert.equal(format('# a\n\n\n# b   \n'), '# a\n\n# b\n');
  });

  it('writes LF line endings and no trailing spaces whatever the input', () => {
    const out = format('experiment a {\r\n  x 1   \r\n\r\n  y 2\t\r\n}\r\n');
    assert.equal(out, 'experiment a {\n  x 1\n\n  y 2\n}\n');
  });

  it('prints numbers as written and strings with the canonical escapes', () => {
    assert.equal(format('experiment a { n 1_000.5e-3px  s "\\u{41}\\u{9}\\u{1F600}\\u{0}" }'), 'experiment a {\n  n 1_000.5e-3px\n  s "A\\t😀\\u{0}"\n}\n');
  });

  it('prints the call shorthand for `key key(args)`', () => {
    assert.equal(format('experiment a { replay replay(r: 1)  x < x(1) }'), 'experiment a {\n  replay(r: 1)\n  x < x(1)\n}\n');
  });
});
