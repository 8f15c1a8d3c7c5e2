// `eft fmt`: prints, checks or rewrites .eft files in the canonical layout.
// Exit codes: 0 nothing to report, 1 syntax errors or (with --check) files that would change,
// 2 files that cannot be read or written, or a wrong combination of flags.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export interface FmtOptions {
  write?: boolean;
  check?: boolean;
}

/** Where the command reads and writes; the real process or a test's buffers. */
export interface FmtIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTTY: boolean;
  readStdin(): Promise<Uint8Array>;
}

export function registerFmt(program: Command): void {
  program
    .command('fmt')
    .description('format .eft files in the canonical layout (prints the result unless --write or --check)')
    .argument('[files...]', 'files, or folders searched for .eft files; none: read standard input')
    .option('-w, --write', 'rewrite the files that change, in place')
    .option('--check', 'list the files that would change; exit 1 if there are any')
    .action(async (files: string[], options: FmtOptions) => {
      process.exitCode = await runFmt(files, options, processIo());
    });
}

function processIo(): FmtIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

const STDIN_NAME = '<stdin>';

export async function runFmt(args: readonly string[], options: FmtOptions, io: FmtIo): Promise<number> {
  if (options.write && options.check) {
    io.stderr('eft fmt: use either --write or --check, not both\n');
    return 2;
  }
  let exit = 0;
  const raise = (code: number) => {
    exit = Math.max(exit, code);
  };
  if (args.length === 0) {
    if (options.write) {
      io.stderr('eft fmt: --write needs files to rewrite\n');
      return 2;
    }
    const bytes = await io.readStdin();
    raise(await formatOne(STDIN_NAME, bytes, options, io));
    return exit;
  }
  const files: string[] = [];
  for (const arg of args) {
    try {
      files.push(...(await expand(arg)));
    } catch (err) {
      io.stderr(`eft fmt: cannot read ${arg}: ${ioCause(err)}\n`);
      raise(2);
    }
  }
  if (!options.write && !options.check && files.length > 1) {
    io.stderr(`eft fmt: ${files.length} files given; use --write to rewrite them or --check to list those that would change\n`);
    return 2;
  }
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      io.stderr(`eft fmt: cannot read ${file}: ${ioCause(err)}\n`);
      raise(2);
      continue;
    }
    raise(await formatOne(file, bytes, options, io));
  }
  return exit;
}

async function formatOne(file: string, bytes: Uint8Array, options: FmtOptions, io: FmtIo): Promise<number> {
  const { decodeSource, formatSource } = await import('../../grammar/index.js');
  const decoded = decodeSource(bytes, file);
  if (decoded.diagnostics.length > 0) return report(decoded.diagnostics, file, decoded.text, io);
  const result = formatSource(decoded.text, file);
  if (result.output === undefined) return report(result.diagnostics, file, decoded.text, io);
  if (result.diagnostics.length > 0) await report(result.diagnostics, file, decoded.text, io);
  const changed = !Buffer.from(result.output, 'utf8').equals(Buffer.from(bytes));
  if (options.check) {
    if (changed) io.stdout(`${file}\n`);
    return changed ? 1 : 0;
  }
  if (options.write) {
    if (!changed) return 0;
    try {
      await writeAtomically(file, result.output);
    } catch (err) {
      io.stderr(`eft fmt: cannot write ${file}: ${ioCause(err)}\n`);
      return 2;
    }
    return 0;
  }
  io.stdout(result.output);
  return 0;
}

async function report(diagnostics: Diagnostic[], file: string, text: string, io: FmtIo): Promise<number> {
  const { renderDiagnostics } = await import('../../diagnostics/render.js');
  const { hasErrors } = await import('../../diagnostics/diagnostic.js');
  io.stderr(renderDiagnostics(diagnostics, new Map([[file, text]]), { color: io.stderrIsTTY }));
  return hasErrors(diagnostics) ? 1 : 0;
}

/** A file as itself; a folder as every .eft file below it (hidden folders and node_modules skipped), sorted. */
async function expand(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...(await expand(child)));
    else if (entry.name.endsWith('.eft')) found.push(child);
  }
  return found;
}

/** Writes a temporary file beside the target, then renames it over the target: never a half-written file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const target = await realpath(file);
  const { mode } = await stat(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

const IO_CAUSES: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function ioCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && IO_CAUSES[code]) return `${IO_CAUSES[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
