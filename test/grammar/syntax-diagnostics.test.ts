// One broken file per syntax code, with the exact text a user sees pinned beside it
// (`NAME.eft` and `NAME.expected`).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSource } from '../../grammar/source.js';
import { parse } from '../../grammar/parse.js';
import { SYNTAX_CODES } from '../../diagnostics/codes/syntax.js';
import { FIXTURES, renderFile } from './support.js';

const SYNTAX_FIXTURES = join(FIXTURES, 'syntax');

describe('grammar: syntax diagnostics', () => {
  const fixtures = readdirSync(SYNTAX_FIXTURES).filter((f) => f.endsWith('.eft')).sort();

  for (const name of fixtures) {
    it(`renders ${name} as pinned`, () => {
      const bytes = readFileSync(join(SYNTAX_FIXTURES, name));
      const expected = readFileSync(join(SYNTAX_FIXTURES, name.replace(/\.eft$/, '.expected')), 'utf8');
      const file = `fixtures/${name}`;
      assert.equal(renderFile(bytes, file), expected);
      const code = name.slice(0, 7);
      const decoded = decodeSource(bytes, file);
      const first = decoded.diagnostics[0] ?? parse(decoded.text, file).diagnostics[0];
      assert.equal(first?.code, code, 'the fixture shows the code it is named after');
    });
  }

  it('has a fixture for every syntax code a file can cause', () => {
    const covered = new Set(fixtures.map((f) => f.slice(0, 7)));
    const internal = 'EFT0099';
    assert.deepEqual(
      SYNTAX_CODES.map((c) => c.code).filter((c) => c !== internal && !covered.has(c)),
      [],
    );
  });

  it('registers codes inside EFT0001–EFT0099, each once', () => {
    const codes = SYNTAX_CODES.map((c) => c.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^EFT00(0[1-9]|[1-9][0-9])$/);
  });
});
