// `extends` and overrides: the effective body of a declaration is its base's body with its own
// entries laid over it. An entry with a value replaces the inherited one whole; an entry with
// only a block merges into the inherited block key by key; dotted keys (`budget.speedup 2x`)
// reach into nested blocks. Repeatable keys (`stage`) are matched by their value.
import type { BlockNode, DeclNode, EntryNode, Expr } from '../grammar/ast.js';

/** A text that identifies a value, to match repeated entries such as `stage 3` or `stage 0% .. 10%`. */
export function exprKey(expr: Expr | undefined): string {
  if (!expr) return '';
  switch (expr.kind) {
    case 'Number':
      return `${expr.value}${expr.unit ?? ''}`;
    case 'String':
      return JSON.stringify(expr.value);
    case 'Identifier':
      return expr.name;
    case 'Call':
      return `${expr.callee.name}(${expr.args.map((a) => `${a.name ? a.name.name + ':' : ''}${exprKey(a.value)}`).join(',')})`;
    case 'List':
      return `[${expr.items.map(exprKey).join(',')}]`;
    case 'Range':
      return `${exprKey(expr.from)}..${exprKey(expr.to)}`;
    case 'Ramp':
      return `${exprKey(expr.from)}->${exprKey(expr.to)}${expr.steps ? `/${exprKey(expr.steps)}` : ''}`;
  }
}

/** Turns `a.b.c v` into `a { b { c v } }`, keeping the entry's spans. */
export function expandDottedKey(entry: EntryNode): EntryNode {
  if (entry.key.parts.length === 1) return entry;
  const [head, ...rest] = entry.key.parts;
  const inner = expandDottedKey({ ...entry, key: { kind: 'KeyPath', parts: rest, span: entry.key.span } });
  return {
    kind: 'Entry',
    key: { kind: 'KeyPath', parts: [head], span: head.span },
    modifiers: [],
    block: { kind: 'Block', entries: [inner], span: entry.span },
    span: entry.span,
  };
}

function sameSlot(a: EntryNode, b: EntryNode, repeatable: ReadonlySet<string>): boolean {
  const name = a.key.parts[0].name;
  if (name !== b.key.parts[0].name) return false;
  return !repeatable.has(name) || exprKey(a.value) === exprKey(b.value);
}

/** Lays `over` on `base`. Both blocks may hold dotted keys; the result holds none. */
export function mergeBlocks(base: BlockNode | undefined, over: BlockNode, repeatable: ReadonlySet<string> = REPEATABLE_KEYS): BlockNode {
  const entries: EntryNode[] = base ? base.entries.map(expandDottedKey) : [];
  for (const raw of over.entries) {
    const entry = expandDottedKey(raw);
    const index = entries.findIndex((e) => sameSlot(e, entry, repeatable));
    if (VERBATIM_KEYS.has(entry.key.parts[0].name)) {
      // Its entries are key paths of their own (a sweep's axes): kept as written.
      if (index < 0) entries.push(entry);
      else entries[index] = entry;
      continue;
    }
    if (index < 0) {
      entries.push(entry.block ? { ...entry, block: mergeBlocks(undefined, entry.block, repeatable) } : entry);
      continue;
    }
    const inherited = entries[index];
    if (entry.value !== undefined || !entry.block) {
      entries[index] = entry.block ? { ...entry, block: mergeBlocks(undefined, entry.block, repeatable) } : entry;
    } else {
      entries[index] = { ...inherited, block: mergeBlocks(inherited.block, entry.block, repeatable), span: inherited.span };
    }
  }
  return { kind: 'Block', entries, span: over.span };
}

/** Keys whose blocks hold key paths rather than settings (`vary { train.seed [0, 1] }`). */
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['vary']);

/** Keys that may appear several times in one block. */
export const REPEATABLE_KEYS: ReadonlySet<string> = new Set(['stage']);

/**
 * The effective body of a declaration: its own body laid over its base's effective body.
 * Returns undefined when the chain of bases is broken or cyclic (rules report those).
 */
export function effectiveBody(decl: DeclNode, declarations: ReadonlyMap<string, DeclNode>): BlockNode | undefined {
  let cache = bodies.get(declarations);
  if (!cache) bodies.set(declarations, (cache = new WeakMap()));
  if (!cache.has(decl)) cache.set(decl, mergedBody(decl, declarations, new Set()));
  return cache.get(decl);
}

/** Effective bodies already computed, per program (its declaration map). */
const bodies = new WeakMap<ReadonlyMap<string, DeclNode>, WeakMap<DeclNode, BlockNode | undefined>>();

function mergedBody(decl: DeclNode, declarations: ReadonlyMap<string, DeclNode>, seen: Set<DeclNode>): BlockNode | undefined {
  if (seen.has(decl)) return undefined;
  seen.add(decl);
  let base: BlockNode | undefined;
  if (decl.base) {
    const target = declarations.get(decl.base.name);
    if (!target || (target.keyword !== 'experiment' && target.keyword !== 'template')) return undefined;
    base = mergedBody(target, declarations, seen);
    if (!base) return undefined;
  }
  return mergeBlocks(base, decl.body);
}

