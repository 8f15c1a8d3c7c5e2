// Loads a program: the files given on the command line and every file they import, parsed,
// with the import graph checked (missing files, cycles, imports that leave the project root)
// and all declarations collected by name.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DeclNode, FileNode, ImportNode } from '../grammar/ast.js';
import { decodeSource } from '../grammar/source.js';
import { parse } from '../grammar/parse.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface SourceFile {
  /** The name diagnostics use: relative to the working directory when inside it, else absolute. */
  name: string;
  absolutePath: string;
  text: string;
  /** sha256 of the file's bytes, hex. */
  hash: string;
  ast: FileNode;
  /** Whether the file parsed without syntax errors. */
  parsed: boolean;
  /** Files this one imports, resolved (absolute paths), in source order, with the import node. */
  imports: { node: ImportNode; target: string }[];
}

export interface Program {
  root: string;
  /** Files in load order: entry files first, each followed by what it imports. */
  files: SourceFile[];
  /** The files named on the command line (absolute paths). */
  entries: string[];
  /** Every declaration by name. Duplicates are reported by a rule and kept in `duplicates`. */
  declarations: Map<string, DeclNode>;
  duplicates: DeclNode[];
  /** Declarations of each file, by absolute path. */
  fileOf: Map<DeclNode, SourceFile>;
}

/** An entry file that cannot be read: a usage or I/O problem rather than a diagnostic in a source. */
export class InputError extends Error {}

/** The project root: the nearest ancestor of `file` holding a `.git` folder or a `package.json`, else the file's folder. */
export function findProjectRoot(file: string): string {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(resolve(file));
    dir = parent;
  }
}

export function displayName(absolutePath: string, cwd = process.cwd()): string {
  const rel = relative(cwd, absolutePath);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolutePath : rel;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

export function loadProgram(paths: readonly string[], options: { root?: string } = {}): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entries = paths.map((p) => resolve(p));
  for (const entry of entries) {
    if (!existsSync(entry)) throw new InputError(`${displayName(entry)}: no such file`);
    if (statSync(entry).isDirectory()) throw new InputError(`${displayName(entry)}: is a directory, not an .eft file`);
  }
  const root = resolve(options.root ?? (entries.length > 0 ? findProjectRoot(entries[0]) : process.cwd()));
  const files = new Map<string, SourceFile>();
  const order: SourceFile[] = [];

  const readFile = (absolutePath: string): SourceFile => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(absolutePath);
    } catch (err) {
      throw new InputError(`${displayName(absolutePath)}: cannot read: ${(err as Error).message}`);
    }
    const name = displayName(absolutePath);
    const decoded = decodeSource(bytes, name);
    diagnostics.push(...decoded.diagnostics);
    const parsed = parse(decoded.text, name);
    diagnostics.push(...parsed.diagnostics);
    return {
      name,
      absolutePath,
      text: decoded.text,
      hash: createHash('sha256').update(bytes).digest('hex'),
      ast: parsed.ast,
      parsed: decoded.diagnostics.length === 0 && parsed.diagnostics.every((d) => d.severity !== 'error'),
      imports: [],
    };
  };

  // Depth-first over imports; `stack` holds the chain being loaded, to report cycles.
  const stack: string[] = [];
  const visit = (absolutePath: string): void => {
    if (files.has(absolutePath)) return;
    const file = readFile(absolutePath);
    files.set(absolutePath, file);
    order.push(file);
    stack.push(absolutePath);
    for (const node of file.ast.imports) {
      const target = resolve(dirname(absolutePath), node.path.value);
      if (!isInside(root, target)) {
        diagnostics.push(
          makeDiagnostic('EFT0103', 'error', `import of \`${node.path.value}\` leaves the project root`, {
            span: node.path.span,
            label: 'outside the project',
            notes: [`the project root is ${displayName(root)}; imports must stay inside it so a project can be moved and archived whole`],
            help: ['copy the file into the project, or run with `--root` set to a folder that holds both'],
          }),
        );
        continue;
      }
      if (!existsSync(target) || statSync(target).isDirectory()) {
        diagnostics.push(
          makeDiagnostic('EFT0101', 'error', `imported file \`${node.path.value}\` not found`, {
            span: node.path.span,
            label: 'no such file',
            notes: [`looked for ${displayName(target)}`],
          }),
        );
        continue;
      }
      file.imports.push({ node, target });
      const cycleStart = stack.indexOf(target);
      if (cycleStart >= 0) {
        const chain = [...stack.slice(cycleStart), target].map((p) => displayName(p)).join(' → ');
        diagnostics.push(
          makeDiagnostic('EFT0102', 'error', `import cycle: ${chain}`, {
            span: node.span,
            label: 'this import closes the cycle',
            help: ['move the shared declarations into a file that both import'],
          }),
        );
        continue;
      }
      try {
        visit(target);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        diagnostics.push(makeDiagnostic('EFT0101', 'error', err.message, { span: node.path.span, label: 'cannot be read' }));
      }
    }
    stack.pop();
  };
  for (const entry of entries) visit(entry);

  const declarations = new Map<string, DeclNode>();
  const duplicates: DeclNode[] = [];
  const fileOf = new Map<DeclNode, SourceFile>();
  for (const file of order) {
    for (const decl of file.ast.decls) {
      fileOf.set(decl, file);
      if (declarations.has(decl.name.name)) duplicates.push(decl);
      else declarations.set(decl.name.name, decl);
    }
  }
  return { program: { root, files: order, entries, declarations, duplicates, fileOf }, diagnostics };
}
