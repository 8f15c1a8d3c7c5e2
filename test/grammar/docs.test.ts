// The "Syntax diagnostics" section of docs/language.md: every syntax code is there under its
// registered title, and its examples do what the text says (the first fails with that code,
// the second is clean).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/parse.js';
import { formatSource } from '../../grammar/format.js';
import { SYNTAX_CODES } from '../../diagnostics/codes/syntax.js';
import { repoRoot } from './support.js';

function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `docs/language.md has a section "${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? doc.length : end);
}

interface CodeSection {
  code: string;
  title: string;
  examples: string[];
}

function codeSections(text: string): CodeSection[] {
  return text
    .split('\n### ')
    .slice(1)
    .map((part) => {
      const [heading] = part.split('\n', 1);
      const [code, ...title] = heading.split(' ');
      const examples = [...part.matchAll(/```eft\n([\s\S]*?)```/g)].map((m) => m[1]);
      return { code, title: title.join(' '), examples };
    });
}

describe('grammar: docs/language.md', () => {
  const doc = readFileSync(join(repoRoot(), 'docs', 'language.md'), 'utf8');

  it('documents every syntax code under its registered title', () => {
    const documented = codeSections(section(doc, 'Syntax diagnostics')).map((s) => `${s.code} ${s.title}`);
    assert.deepEqual(documented, SYNTAX_CODES.map((c) => `${c.code} ${c.title}`));
  });

  it('shows for each code a wrong example that reports it and a fixed one that is clean', () => {
    const untestable = new Set(['EFT0009', 'EFT0010', 'EFT0099']);
    for (const { code, examples } of codeSections(section(doc, 'Syntax diagnostics'))) {
      if (untestable.has(code)) continue;
      assert.equal(examples.length, 2, `${code} has a wrong and a fixed example`);
      const [wrong, fixed] = examples;
      assert.equal(parse(wrong, 'doc.eft').diagnostics[0]?.code, code, `${code}: the wrong example`);
      assert.deepEqual(parse(fixed, 'doc.eft').diagnostics, [], `${code}: the fixed example`);
    }
  });

  it('gives examples in the Syntax section that parse and are formatted canonically', () => {
    const examples = [...section(doc, 'Syntax').matchAll(/```eft\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(examples.length > 0);
    for (const example of examples) assert.equal(formatSource(example, 'doc.eft').output, example);
  });
});
