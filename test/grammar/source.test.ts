import assert from 'node:assert/strict';
import { decodeSource } from '../../grammar/source.js';
import { Rng } from './fuzz-support.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('grammar: decodeSource', () => {
  it('decodes UTF-8 and drops a leading byte order mark', () => {
    assert.deepEqual(decodeSource(utf8('experiment é {}'), 'a.eft'), { text: 'experiment é {}', diagnostics: [] });
    assert.deepEqual(decodeSource(bytes(0xef, 0xbb, 0xbf, 0x78), 'a.eft'), { text: 'x', diagnostics: [] });
    assert.deepEqual(decodeSource(bytes(), 'a.eft'), { text: '', diagnostics: [] });
  });

  it('reports each invalid sequence with its byte offset and points at its U+FFFD', () => {
    const { text, diagnostics } = decodeSource(bytes(0x61, 0x0a, 0x62, 0xff, 0x63, 0xe2, 0x82, 0x64), 'a.eft');
    assert.equal(text, 'a\nb\ufffdc\ufffdd');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message, d.span?.offset, d.span?.line, d.span?.column]),
      [
        ['EFT0009', 'invalid UTF-8 byte 0xFF at byte offset 3', 3, 2, 2],
        ['EFT0009', 'invalid UTF-8 sequence 0xE2 0x82 at byte offset 5', 5, 2, 4],
      ],
    );
  });

  it('counts byte offsets from the start of the file, BOM included', () => {
    const { diagnostics } = decodeSource(bytes(0xef, 0xbb, 0xbf, 0x61, 0xc0), 'a.eft');
    assert.equal(diagnostics[0].message, 'invalid UTF-8 byte 0xC0 at byte offset 4');
    assert.equal(diagnostics[0].span?.offset, 1);
  });

  it('rejects encoded surrogates and overlong forms', () => {
    assert.equal(decodeSource(bytes(0xed, 0xa0, 0x80), 'a.eft').diagnostics.length, 3);
    assert.equal(decodeSource(bytes(0xc0, 0x80), 'a.eft').diagnostics.length, 2);
    assert.equal(decodeSource(bytes(0xf4, 0x90, 0x80, 0x80), 'a.eft').diagnostics.length, 4);
  });

  it('reports ten sequences and counts the rest', () => {
    const { diagnostics } = decodeSource(new Uint8Array(25).fill(0xff), 'a.eft');
    assert.equal(diagnostics.length, 10);
    assert.deepEqual(diagnostics[9].notes, ['15 more invalid UTF-8 sequences not shown']);
  });

  it('replaces invalid sequences exactly as the standard decoder does', () => {
    const rng = new Rng(99);
    const lossy = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(1 + rng.int(40));
      for (let k = 0; k < b.length; k++) b[k] = rng.int(2) ? 0x80 + rng.int(0x80) : 0x20 + rng.int(0x60);
      if (b[0] === 0xef) b[0] = 0x20;
      assert.equal(decodeSource(b, 'a.eft').text, lossy.decode(b), `bytes ${Array.from(b)}`);
    }
  });

  it('reports a file with a NUL byte as binary, once', () => {
    const { diagnostics } = decodeSource(bytes(0x61, 0x0a, 0x62, 0x00, 0xff, 0x00), 'a.eft');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message, d.span?.line, d.span?.column]),
      [['EFT0010', 'a.eft is a binary file: it contains a NUL byte at byte offset 3', 2, 2]],
    );
  });

  it('recognises UTF-16 and says what to do', () => {
    const { diagnostics } = decodeSource(bytes(0xff, 0xfe, 0x61, 0x00), 'a.eft');
    assert.deepEqual(diagnostics[0].help, ['the file looks like UTF-16; save it as UTF-8']);
  });
});
