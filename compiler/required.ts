// Which required keys a block leaves out, by the schema.
import type { BlockNode, Span } from '../grammar/ast.js';
import type { BlockSpec } from './schema.js';

/** Required keys missing from `block` (recursively), except those in `present` (dotted paths). */
export function missingKeys(block: BlockNode, schema: BlockSpec, prefix: string, present: ReadonlySet<string>): { key: string; doc: string; span: Span }[] {
  const missing: { key: string; doc: string; span: Span }[] = [];
  for (const [name, spec] of Object.entries(schema.keys)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const entry = block.entries.find((e) => e.key.parts[0].name === name);
    if (!entry) {
      if (spec.required && !present.has(path)) missing.push({ key: path, doc: spec.doc, span: block.span });
      continue;
    }
    // A nested block is checked only where it is written without a value that stands for it
    // (`dataset fashion_mnist { ... }` still needs its keys; `curriculum efficienttrain_pp` has none required).
    if (spec.block && entry.block) missing.push(...missingKeys(entry.block, spec.block, path, present));
    else if (spec.block && !entry.value && Object.values(spec.block.keys).some((k) => k.required)) {
      missing.push(...missingKeys({ kind: 'Block', entries: [], span: entry.span }, spec.block, path, present));
    }
  }
  return missing;
}
