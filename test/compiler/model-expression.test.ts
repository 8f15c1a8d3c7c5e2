import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../compiler/check.js';
import { knownDatasetTarget, parseModelExpression } from '../../compiler/model-expression.js';
import { resolveModelRef } from '../../compiler/resolve-model.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../diagnostics/render.js';

function problems(text: string): Diagnostic[] {
  const parsed = parseModelExpression(text);
  assert.ok('diagnostics' in parsed, `${text} parses`);
  return parsed.diagnostics;
}

/** code, message, line:column and label of each problem: what a user reads. */
function summary(text: string): string[] {
  return problems(text).map((d) => `${d.code} ${d.message} @${d.span ? `${d.span.line}:${d.span.column}-${d.span.endColumn}` : '-'} ${d.label ?? ''}`.trimEnd());
}

describe('standalone model expressions', () => {
  it('parses a family call with spans in the written text', () => {
    const parsed = parseModelExpression('  convnet(width: 16, stages: 3)');
    assert.ok('model' in parsed);
    assert.equal(parsed.model.kind, 'family');
    if (parsed.model.kind !== 'family') return;
    assert.equal(parsed.model.family, 'convnet');
    assert.deepEqual(parsed.model.args, { width: 16, stages: 3 });
    assert.deepEqual([parsed.model.span.line, parsed.model.span.column, parsed.model.span.length], [1, 3, 29]);
    assert.deepEqual([parsed.model.argSpans.stages.column, parsed.model.argSpans.stages.endColumn], [22, 31]);
  });

  it('parses a catalogue name', () => {
    const parsed = parseModelExpression('deit_small');
    assert.ok('model' in parsed);
    assert.deepEqual({ ...parsed.model, span: undefined }, { kind: 'catalogue', name: 'deit_small', span: undefined });
  });

  it('resolves to the spec an experiment on the same data set trains', async () => {
    const model = 'vit(patch: 7, dim: 48, depth: 2, heads: 3, pool: mean)';
    const dir = mkdtempSync(join(tmpdir(), 'eft-model-expr-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    const file = join(dir, 'main.eft');
    writeFileSync(file, `experiment e {\n  model ${model}\n  dataset fashion_mnist { path "x" }\n  baseline { epochs 1ep }\n  train { optimizer adamw(lr: 1e-3)  batch 10 }\n}\n`);
    const checked = await checkFiles([file]);
    assert.equal(checked.experiments.length, 1, renderDiagnostics(checked.diagnostics, checked.texts));

    const parsed = parseModelExpression(model);
    assert.ok('model' in parsed);
    const resolved = resolveModelRef(parsed.model, knownDatasetTarget('fashion_mnist'));
    assert.ok('spec' in resolved);
    assert.deepEqual(resolved.spec, checked.experiments[0].spec);
    assert.deepEqual([resolved.spec.inChannels, resolved.spec.numClasses, resolved.spec.nativeResolution], [1, 10, 28]);
  });

  it('builds a family for 32×32 RGB with 10 classes and keeps a catalogue model as it is without a target', () => {
    const vit = parseModelExpression('vit()');
    assert.ok('model' in vit);
    const built = resolveModelRef(vit.model);
    assert.ok('spec' in built);
    assert.deepEqual([built.spec.inChannels, built.spec.numClasses, built.spec.nativeResolution], [3, 10, 32]);

    const resnet = parseModelExpression('resnet50');
    assert.ok('model' in resnet);
    const named = resolveModelRef(resnet.model);
    assert.ok('spec' in named);
    assert.deepEqual([named.spec.inChannels, named.spec.numClasses, named.spec.nativeResolution], [3, 1000, 224]);
  });

  it('knows the well-known data sets only', () => {
    assert.deepEqual(knownDatasetTarget('cifar100'), { inChannels: 3, numClasses: 100, resolution: 32 });
    assert.equal(knownDatasetTarget('imagenet'), undefined);
    assert.equal(knownDatasetTarget('toString'), undefined);
  });

  it('reports syntax errors at their column in the written text, not in the program around it', () => {
    assert.deepEqual(summary('vit(patch: )'), ['EFT0005 expected a value, found `)` @1:12-13']);
    assert.deepEqual(summary('vit(patch 4)'), ['EFT0005 expected `,` or `)`, found `4` @1:11-12']);
    assert.deepEqual(summary('vit(\n  patch: 4,\n  dim: )'), ['EFT0005 expected a value, found `)` @3:8-9']);
    assert.deepEqual(summary('vit(patch: 4'), ['EFT0006 unclosed `(` @1:13-13 the model ends here']);
    assert.deepEqual(summary('vit(pool: "mean)').map((s) => s.slice(0, 26)), ['EFT0002 unterminated strin', 'EFT0006 unclosed `(` @1:17']);
  });

  it('reports text after the model, with the catalogue name it may have meant', () => {
    assert.deepEqual(summary('vit(patch: 4) within 2%'), ['EFT0005 unexpected `within 2%` after the model @1:15-24 not part of the model']);
    assert.deepEqual(summary('vit(patch: 4) } experiment x {'), ['EFT0005 unexpected `} experiment x {` after the model @1:15-31 not part of the model']);
    const [mistyped] = problems('resnet-18');
    assert.equal(mistyped.message, 'unexpected `-18` after the model');
    assert.deepEqual(mistyped.help, ['write one model, and quote it in the shell', 'did you mean `resnet18`?']);
  });

  it('reports what is not a model at all', () => {
    assert.deepEqual(summary('42'), ['EFT0113 expected a model, found the number `42` @1:1-3 not a model']);
    assert.deepEqual(summary('experiment'), ['EFT0005 expected a model, found `experiment` @1:1-11 not a model']);
    assert.deepEqual(summary(' '), ['EFT0005 no model given @-']);
  });

  it('reports positional, repeated and non-scalar arguments', () => {
    assert.deepEqual(summary('vit(4)'), ['EFT0117 arguments of `vit` must be named @1:5-6 positional argument']);
    const [twice] = problems('vit(patch: 4, patch: 8)');
    assert.equal(twice.message, 'argument `patch` is given twice');
    assert.deepEqual([twice.span?.column, twice.related[0].span.column], [15, 5]);
    assert.deepEqual(summary('vit(patch: [4, 8])'), ['EFT0113 argument `patch` of `vit` takes a number or a name, not a list @1:12-18 wrong kind of value']);
  });

  it('reports family errors at the argument in the written text', () => {
    const parsed = parseModelExpression('vit(dim: 32, pach: 4)');
    assert.ok('model' in parsed);
    const resolved = resolveModelRef(parsed.model);
    assert.ok('diagnostics' in resolved);
    assert.deepEqual(
      resolved.diagnostics.map((d) => [d.code, d.message, d.span?.column, d.label, d.help]),
      [['EFT0202', '`vit` has no argument `pach`', 14, 'unknown argument', ['did you mean `patch`?']]],
    );
  });
});

describe('family and library-curriculum calls in an .eft file', () => {
  it('reports positional, repeated and list arguments instead of dropping them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-open-call-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    const file = join(dir, 'main.eft');
    writeFileSync(
      file,
      'experiment e {\n' +
        '  model vit(4, patch: 4, patch: 7, dim: [32, 64])\n' +
        '  dataset fashion_mnist { path "x" }\n' +
        '  baseline { epochs 2ep }\n' +
        '  train { optimizer adamw(lr: 1e-3)  batch 10 }\n' +
        '  budget { speedup 1.5x }\n' +
        '  curriculum efficienttrain_pp(deit, family: deit, family: default)\n' +
        '}\n',
    );
    const checked = await checkFiles([file]);
    const seen = checked.diagnostics.map((d) => `${d.code} ${d.message} @${d.span!.line}:${d.span!.column} ${d.label}${d.related.map((r) => ` [${r.message} @${r.span.line}:${r.span.column}]`).join('')}`);
    assert.deepEqual(seen, [
      'EFT0117 arguments of `vit` must be named @2:13 positional argument',
      'EFT0117 argument `patch` is given twice @2:26 repeated [first given here @2:16]',
      'EFT0113 argument `dim` of `vit` takes a number or a name, not a list @2:41 wrong kind of value',
      'EFT0117 arguments of `efficienttrain_pp` must be named @7:32 positional argument',
      'EFT0117 argument `family` is given twice @7:52 repeated [first given here @7:38]',
    ]);
  });
});
