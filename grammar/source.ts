// decodeSource: the bytes of a file to the text the parser reads. Source files are UTF-8; a byte
// order mark is dropped. Invalid UTF-8 and binary files are reported with their byte offsets,
// and the text keeps a U+FFFD at each bad place so that diagnostics can point at it.
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import { LineMap } from './positions.js';

export interface DecodedSource {
  text: string;
  diagnostics: Diagnostic[];
}

/** Invalid sequences reported one by one before the rest are only counted. */
const MAX_REPORTED_SEQUENCES = 10;

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

interface InvalidSequence {
  byteOffset: number;
  bytes: number[];
  textOffset: number;
}

export function decodeSource(bytes: Uint8Array, file: string): DecodedSource {
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const nul = bytes.indexOf(0);
  if (nul >= 0) return binary(bytes, bomLength, nul, file);
  try {
    return { text: fatalDecoder.decode(bytes.subarray(bomLength)), diagnostics: [] };
  } catch {
    const { text, invalid } = decodeLossy(bytes, bomLength);
    return { text, diagnostics: invalidUtf8(invalid, new LineMap(file, text)) };
  }
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

function binary(bytes: Uint8Array, bomLength: number, nul: number, file: string): DecodedSource {
  const { text } = decodeLossy(bytes, bomLength);
  const { text: before } = decodeLossy(bytes.subarray(0, nul), bomLength);
  const lines = new LineMap(file, text);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return {
    text,
    diagnostics: [
      makeDiagnostic(SyntaxCode.binaryFile, 'error', `${file} is a binary file: it contains a NUL byte at byte offset ${nul}`, {
        span: lines.span(before.length, before.length + 1),
        label: 'NUL byte',
        notes: ['eft source files are UTF-8 text'],
        help: utf16 ? ['the file looks like UTF-16; save it as UTF-8'] : [],
      }),
    ],
  };
}

function invalidUtf8(invalid: InvalidSequence[], lines: LineMap): Diagnostic[] {
  const shown = invalid.slice(0, MAX_REPORTED_SEQUENCES).map((s) => {
    const what = s.bytes.length === 1 ? `byte ${hex(s.bytes[0])}` : `sequence ${s.bytes.map(hex).join(' ')}`;
    return makeDiagnostic(SyntaxCode.invalidUtf8, 'error', `invalid UTF-8 ${what} at byte offset ${s.byteOffset}`, {
      span: lines.span(s.textOffset, s.textOffset + 1),
      label: 'shown here as U+FFFD',
      help: ['save the file as UTF-8'],
    });
  });
  const rest = invalid.length - shown.length;
  if (rest > 0) shown[shown.length - 1].notes.push(`${rest} more invalid UTF-8 sequence${rest === 1 ? '' : 's'} not shown`);
  return shown;
}

/**
 * Decodes UTF-8 the way the WHATWG decoder does (each maximal invalid subpart becomes one U+FFFD)
 * and records where each invalid sequence was, in bytes and in the decoded text.
 */
function decodeLossy(bytes: Uint8Array, start: number): { text: string; invalid: InvalidSequence[] } {
  const units: number[] = [];
  const chunks: string[] = [];
  let textLength = 0;
  const invalid: InvalidSequence[] = [];
  const emit = (codePoint: number) => {
    if (codePoint > 0xffff) {
      const v = codePoint - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      textLength += 2;
    } else {
      units.push(codePoint);
      textLength += 1;
    }
    if (units.length >= 8192) {
      chunks.push(String.fromCharCode(...units));
      units.length = 0;
    }
  };
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      emit(b);
      i++;
      continue;
    }
    const [need, lower, upper] = leadInfo(b);
    let length = 1;
    let codePoint = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? lower : 0x80;
      const hi = k === 1 ? upper : 0xbf;
      if (c === undefined || c < lo || c > hi) {
        ok = false;
        break;
      }
      codePoint = (codePoint << 6) | (c & 0x3f);
      length++;
    }
    if (ok) {
      emit(codePoint);
    } else {
      invalid.push({ byteOffset: i, bytes: Array.from(bytes.subarray(i, i + length)), textOffset: textLength });
      emit(0xfffd);
    }
    i += length;
  }
  chunks.push(String.fromCharCode(...units));
  return { text: chunks.join(''), invalid };
}

/** Continuation bytes a lead byte needs, and the allowed range of the first one (0 needed: not a lead byte). */
function leadInfo(b: number): [number, number, number] {
  if (b >= 0xc2 && b <= 0xdf) return [1, 0x80, 0xbf];
  if (b === 0xe0) return [2, 0xa0, 0xbf];
  if (b === 0xed) return [2, 0x80, 0x9f];
  if (b >= 0xe1 && b <= 0xef) return [2, 0x80, 0xbf];
  if (b === 0xf0) return [3, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [3, 0x80, 0xbf];
  if (b === 0xf4) return [3, 0x80, 0x8f];
  return [0, 0, 0];
}
