import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eftNodeArgs, runEft } from '../helpers/cli.js';

describe('eft check (command line)', () => {
  it('exits 0 and says ok for a clean file', () => {
    const r = runEft(['check', 'test/compiler/fixtures/EFT0110-unknown-key.fixed.eft']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'test/compiler/fixtures/EFT0110-unknown-key.fixed.eft: ok (1 experiment checked)\n');
  });

  it('exits 1 with rustc-style diagnostics for a broken file', () => {
    const r = runEft(['check', 'test/compiler/fixtures/EFT0110-unknown-key.eft']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[EFT0110\]: unknown key `resoluton` in `dataset`\n --> test\/compiler\/fixtures\/EFT0110-unknown-key.eft:3:48\n/);
    assert.match(r.stderr, /= help: did you mean `resolution`\?/);
    assert.match(r.stderr, /\n2 errors\n$/);
  });

  it('prints machine-readable diagnostics with --json', () => {
    const r = runEft(['check', '--json', 'test/compiler/fixtures/EFT0110-unknown-key.eft']);
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout) as { errors: number; diagnostics: { code: string; location: { line: number; column: number } }[] };
    assert.equal(parsed.errors, 2);
    assert.deepEqual(
      parsed.diagnostics.map((d) => [d.code, d.location.line, d.location.column]),
      [
        ['EFT0110', 3, 48],
        ["EFT0110", 5, 53],
      ],
    );
  });

  it('exits 2 for a missing file', () => {
    const r = runEft(['check', 'no/such/file.eft']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: no/such/file.eft: no such file\n');
  });

  it('exits 2 for a usage error', () => {
    const r = runEft(['check']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing required argument 'files'/);
  });

  it('reports a binary file with a diagnostic, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-check-'));
    const file = join(dir, 'binary.eft');
    writeFileSync(file, Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02]));
    const r = runEft(['check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error\[EFT00\d\d\]/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  it('loads nothing of the runtime: no TensorFlow.js, SQLite or plan schema', () => {
    // A module-loading hook writes every module URL Node loads to a file.
    const dir = mkdtempSync(join(tmpdir(), 'eft-check-modules-'));
    const log = join(dir, 'loaded.txt');
    writeFileSync(join(dir, 'hook.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, ...eftNodeArgs(), 'check', 'examples/quickstart.eft'], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(loaded.some((url) => /\/(grammar|bundle)\//.test(url)), 'the hook saw eft\'s own modules');
    const unwanted = loaded.filter((url) => /\/runtime\/|@tensorflow|better-sqlite3|\/ajv\/|\/plan\/|lodash/.test(url));
    assert.deepEqual(unwanted, []);
  });
});

