// Diagnostic fixtures: `CODE-what.eft` is a broken file, `CODE-what.expected` the exact text
// `eft check` prints for it (without colour), `CODE-what.fixed.eft` the same file corrected,
// which must check clean. Set EFT_UPDATE_FIXTURES=1 to rewrite the .expected files.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Fixture {
  code: string;
  name: string;
  broken: string;
  expected: string;
  fixed?: string;
}

export function listFixtures(folder: string): Fixture[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => /^EFT\d{4}-.*\.eft$/.test(f) && !f.endsWith('.fixed.eft'))
    .sort()
    .map((f) => {
      const base = f.slice(0, -'.eft'.length);
      const fixed = join(folder, `${base}.fixed.eft`);
      return {
        code: f.slice(0, 7),
        name: base,
        broken: join(folder, f),
        expected: join(folder, `${base}.expected`),
        fixed: existsSync(fixed) ? fixed : undefined,
      };
    });
}

export function compareOrUpdate(path: string, actual: string): string {
  if (process.env.EFT_UPDATE_FIXTURES === '1' || !existsSync(path)) writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}
