// Diagnostic fixtures: `CODE-what.eft` is a broken file, `CODE-what.expected` the exact text
// `eft check` prints for it (without colour), `CODE-what.fixed.eft` the same file corrected,
// which must check clean. Set EFT_UPDATE_FIXTURES=1 to rewrite the .expected files.
import assert from 'node:assert/strict';
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

/** Declares, for each fixture of `folder`, a test that pins what `eft check` prints and one that the fixed file is clean. */
export function describeFixtures(folder: string): void {
  for (const fixture of listFixtures(folder)) {
    describe(fixture.name, () => {
      it(`reports ${fixture.code} with the pinned text`, async () => {
        const { checkFiles } = await import('../../compiler/check.js');
        const { renderDiagnostics } = await import('../../diagnostics/render.js');
        const result = await checkFiles([fixture.broken]);
        const text = renderDiagnostics(result.diagnostics, result.texts);
        assert.ok(result.diagnostics.some((d) => d.code === fixture.code), `expected ${fixture.code}, got:\n${text}`);
        assert.equal(text, compareOrUpdate(fixture.expected, text));
      });
      if (fixture.fixed) {
        it('checks clean once fixed', async () => {
          const { checkFiles } = await import('../../compiler/check.js');
          const { renderDiagnostics } = await import('../../diagnostics/render.js');
          const result = await checkFiles([fixture.fixed!]);
          assert.equal(renderDiagnostics(result.diagnostics, result.texts), '');
        });
      }
    });
  }
}
