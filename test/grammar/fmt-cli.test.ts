import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerFmt, runFmt, type FmtIo } from '../../cli/commands/fmt.js';

const MESSY = 'experiment a {\n    model   deit_small\n}\n';
const CLEAN = 'experiment a {\n  model deit_small\n}\n';
const BROKEN = 'experiment a {\n  model\n}\n';

interface Captured extends FmtIo {
  out: string;
  err: string;
}

function io(stdin = ''): Captured {
  const captured: Captured = {
    out: '',
    err: '',
    stdout: (t) => void (captured.out += t),
    stderr: (t) => void (captured.err += t),
    stderrIsTTY: false,
    readStdin: async () => new TextEncoder().encode(stdin),
  };
  return captured;
}

describe('eft fmt', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eft-fmt-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the formatted file to stdout and leaves it alone', async () => {
    const path = file('a.eft', MESSY);
    const c = io();
    assert.equal(await runFmt([path], {}, c), 0);
    assert.equal(c.out, CLEAN);
    assert.equal(c.err, '');
    assert.equal(readFileSync(path, 'utf8'), MESSY);
  });

  it('formats standard input when no file is given', async () => {
    const c = io(MESSY);
    assert.equal(await runFmt([], {}, c), 0);
    assert.equal(c.out, CLEAN);
  });

  it('--check lists the files that would change and exits 1, or exits 0 when all are formatted', async () => {
    const messy = file('messy.eft', MESSY);
    const clean = file('clean.eft', CLEAN);
    const c = io();
    assert.equal(await runFmt([messy, clean], { check: true }, c), 1);
    assert.equal(c.out, `${messy}\n`);
    const d = io();
    assert.equal(await runFmt([clean], { check: true }, d), 0);
    assert.equal(d.out, '');
    assert.equal(readFileSync(messy, 'utf8'), MESSY);
  });

  it('--write rewrites changed files in place, keeping their mode, and leaves no temporary file', async () => {
    const messy = file('messy.eft', MESSY);
    chmodSync(messy, 0o640);
    const clean = file('clean.eft', CLEAN);
    const cleanTime = statSync(clean).mtimeMs;
    const c = io();
    assert.equal(await runFmt([messy, clean], { write: true }, c), 0);
    assert.equal(readFileSync(messy, 'utf8'), CLEAN);
    assert.equal(statSync(messy).mode & 0o777, 0o640);
    assert.equal(statSync(clean).mtimeMs, cleanTime, 'an unchanged file is not rewritten');
    assert.deepEqual(readdirSync(dir).sort(), ['clean.eft', 'messy.eft']);
    assert.equal(c.out, '');
  });

  it('never touches a file with syntax errors and shows its diagnostics', async () => {
    const broken = file('broken.eft', BROKEN);
    const messy = file('messy.eft', MESSY);
    const c = io();
    assert.equal(await runFmt([broken, messy], { write: true }, c), 1);
    assert.equal(readFileSync(broken, 'utf8'), BROKEN);
    assert.equal(readFileSync(messy, 'utf8'), CLEAN, 'the other files are still formatted');
    assert.equal(
      c.err,
      [
        'error[EFT0005]: expected a value or `{` after `model`, found `}`',
        ` --> ${broken}:3:1`,
        '  |',
        '3 | }',
        '  | ^',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('reports invalid UTF-8 as a file error (exit 1) without rewriting', async () => {
    const path = join(dir, 'latin1.eft');
    writeFileSync(path, Uint8Array.from([0x78, 0x20, 0xe9, 0x0a]));
    const c = io();
    assert.equal(await runFmt([path], { write: true }, c), 1);
    assert.match(c.err, /error\[EFT0009\]: invalid UTF-8 byte 0xE9 at byte offset 2/);
    assert.deepEqual(Array.from(readFileSync(path)), [0x78, 0x20, 0xe9, 0x0a]);
  });

  it('exits 2 with the cause when a file cannot be read', async () => {
    const c = io();
    const missing = join(dir, 'missing.eft');
    assert.equal(await runFmt([missing], { check: true }, c), 2);
    assert.equal(c.err, `eft fmt: cannot read ${missing}: no such file or folder (ENOENT)\n`);
  });

  it('formats every .eft file of a folder', async () => {
    mkdirSync(join(dir, 'sub'));
    file('sub/b.eft', MESSY);
    file('a.eft', MESSY);
    file('notes.txt', MESSY);
    const c = io();
    assert.equal(await runFmt([dir], { check: true }, c), 1);
    assert.equal(c.out, `${join(dir, 'a.eft')}\n${join(dir, 'sub', 'b.eft')}\n`);
  });

  it('refuses ambiguous requests with exit 2', async () => {
    const a = file('a.eft', CLEAN);
    const b = file('b.eft', CLEAN);
    const c = io();
    assert.equal(await runFmt([a, b], {}, c), 2);
    assert.match(c.err, /2 files given; use --write/);
    assert.equal(await runFmt([a], { write: true, check: true }, io()), 2);
    assert.equal(await runFmt([], { write: true }, io()), 2);
  });

  it('registers `fmt` with its flags and sets the exit code', async () => {
    const messy = file('messy.eft', MESSY);
    const program = new Command().exitOverride();
    registerFmt(program);
    const previous = process.exitCode;
    const write = process.stdout.write;
    let printed = '';
    try {
      process.stdout.write = ((chunk: string) => {
        printed += chunk;
        return true;
      }) as typeof process.stdout.write;
      await program.parseAsync(['node', 'eft', 'fmt', '--check', messy]);
      process.stdout.write = write;
      assert.equal(process.exitCode, 1);
      assert.equal(printed, `${messy}\n`);
      await program.parseAsync(['node', 'eft', 'fmt', '-w', messy]);
      assert.equal(process.exitCode, 0);
      assert.equal(readFileSync(messy, 'utf8'), CLEAN);
    } finally {
      process.stdout.write = write;
      process.exitCode = previous;
    }
  });
});
