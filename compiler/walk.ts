// Walks the entries of a declaration alongside the schema, so rules can ask of each entry
// "what may be written here?" without re-implementing key lookup.
import type { BlockNode, DeclNode, EntryNode, Identifier } from '../grammar/ast.js';
import { declarationSchema, EXPERIMENT_BLOCK, type BlockSpec, type KeySpec } from './schema.js';

export type EntryVisit =
  /** The entry's key resolved to a spec (for `vary` entries, the spec of a list of the key's values). */
  | { kind: 'known'; entry: EntryNode; spec: KeySpec; decl: DeclNode }
  /** A part of the entry's key names nothing in its block. */
  | { kind: 'unknown'; entry: EntryNode; part: Identifier; known: string[]; where: string; decl: DeclNode };

function resolveKey(entry: EntryNode, block: BlockSpec, where: string, decl: DeclNode): EntryVisit {
  let current: BlockSpec | undefined = block;
  let spec: KeySpec | undefined;
  let place = where;
  for (const part of entry.key.parts) {
    const keys: Record<string, KeySpec> = current?.keys ?? {};
    spec = Object.prototype.hasOwnProperty.call(keys, part.name) ? keys[part.name] : undefined;
    if (!spec) return { kind: 'unknown', entry, part, known: Object.keys(keys), where: place, decl };
    place = `\`${part.name}\``;
    current = spec.block;
  }
  return { kind: 'known', entry, spec: spec as KeySpec, decl };
}

function walkBlock(block: BlockNode, schema: BlockSpec, where: string, decl: DeclNode, visit: (v: EntryVisit) => void): void {
  for (const entry of block.entries) {
    const resolved = resolveKey(entry, schema, where, decl);
    visit(resolved);
    if (resolved.kind !== 'known' || !entry.block) continue;
    const keyName = entry.key.parts[entry.key.parts.length - 1].name;
    if (keyName === 'vary' && decl.keyword === 'sweep' && entry.key.parts.length === 1) {
      walkVary(entry.block, decl, visit);
    } else if (resolved.spec.block) {
      walkBlock(entry.block, resolved.spec.block, `\`${keyName}\``, decl, visit);
    }
  }
}

/** `vary { key [v1, v2] ... }`: each key is a key path of an experiment, each value a list of its values. */
function walkVary(block: BlockNode, decl: DeclNode, visit: (v: EntryVisit) => void): void {
  for (const entry of block.entries) {
    const resolved = resolveKey(entry, EXPERIMENT_BLOCK, 'an experiment', decl);
    if (resolved.kind === 'unknown') {
      visit(resolved);
      continue;
    }
    const item = resolved.spec.value;
    const spec: KeySpec = item
      ? { doc: resolved.spec.doc, value: { type: 'list', item } }
      : { doc: resolved.spec.doc };
    visit({ kind: 'known', entry, spec, decl });
  }
}

/** Visits every entry of a declaration's own body (not what it inherits). */
export function walkDeclaration(decl: DeclNode, visit: (v: EntryVisit) => void): void {
  walkBlock(decl.body, declarationSchema(decl.keyword), `\`${decl.keyword}\``, decl, visit);
}
