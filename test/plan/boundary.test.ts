import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// A runtime reads plans through plan/ alone: nothing it loads may come from the compiler or the
// grammar. Type-only imports are erased at build time and allowed (the model spec type).
const ROOT = process.cwd();

function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    if (match[2]) continue;
    specifiers.push(match[3] ?? match[4]);
  }
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]);
  return specifiers;
}

function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of valueImports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      queue.push(target);
    }
  }
  return seen;
}

describe('plan/ boundary', () => {
  it('loads nothing from compiler/ or grammar/ at run time', () => {
    const entries = readdirSync(join(ROOT, 'plan'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, 'plan', f));
    const files = [...reachable(entries)].map((f) => relative(ROOT, f));
    const offending = files.filter((f) => f.startsWith('compiler/') || f.startsWith('grammar/'));
    assert.deepEqual(offending, []);
    assert.ok(files.includes('plan/schema.json'));
    assert.ok(files.includes('diagnostics/codes/plan.ts'));
  });

  it('imports the model spec type only as a type', () => {
    const types = readFileSync(join(ROOT, 'plan', 'types.ts'), 'utf8');
    assert.match(types, /^import type \{ ModelSpec \} from '\.\.\/compiler\/models\/spec\.js';$/m);
  });
});
