// Reads the values of string and number tokens. Problems come back as facts with offsets
// relative to the token; the lexer turns them into diagnostics.

export interface LiteralProblem {
  /** Offset inside the token's text. */
  start: number;
  end: number;
  message: string;
  label: string;
  help?: string;
}

/** Decodes the body of a string token (`raw` includes the opening quote and, when present, the closing one). */
export function decodeString(raw: string, terminated: boolean): { value: string; problems: LiteralProblem[] } {
  const problems: LiteralProblem[] = [];
  const bodyEnd = terminated ? raw.length - 1 : raw.length;
  let value = '';
  let i = 1;
  while (i < bodyEnd) {
    const c = raw[i];
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined || i + 1 >= bodyEnd) {
      problems.push({ start: i, end: i + 1, message: 'escape sequence `\\` is missing its character', label: 'nothing follows this backslash', help: 'write `\\\\` for a backslash' });
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    if (next === 'u') {
      const escape = readUnicodeEscape(raw, i, bodyEnd);
      if (escape.problem) problems.push(escape.problem);
      else value += String.fromCodePoint(escape.codePoint);
      i = escape.end;
      continue;
    }
    const shown = printableChar(raw.codePointAt(i + 1) ?? 0);
    const width = (raw.codePointAt(i + 1) ?? 0) > 0xffff ? 3 : 2;
    problems.push({
      start: i,
      end: i + width,
      message: `invalid escape sequence \`\\${shown}\``,
      label: 'unknown escape',
      help: 'the escapes are `\\"` `\\\\` `\\n` `\\t` and `\\u{HEX}`; write `\\\\` for a backslash',
    });
    i += width;
  }
  return { value, problems };
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

function readUnicodeEscape(raw: string, at: number, bodyEnd: number): { codePoint: number; end: number; problem?: LiteralProblem } {
  const match = /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(raw.slice(at, Math.min(bodyEnd, at + 11)));
  if (!match) {
    const close = raw.indexOf('}', at);
    const end = raw[at + 2] === '{' && close > 0 && close < bodyEnd && close - at <= 12 ? close + 1 : at + 2;
    return {
      codePoint: 0,
      end,
      problem: { start: at, end, message: `invalid escape sequence \`${raw.slice(at, end)}\``, label: 'expected 1 to 6 hex digits in braces', help: 'write a code point as `\\u{1F600}`' },
    };
  }
  const codePoint = parseInt(match[1], 16);
  const end = at + match[0].length;
  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
    return {
      codePoint: 0,
      end,
      problem: { start: at, end, message: `\`${match[0]}\` is not a Unicode scalar value`, label: 'outside U+0000..U+D7FF and U+E000..U+10FFFF' },
    };
  }
  return { codePoint, end };
}

/** A character as a message shows it: itself when printable ASCII, else `U+XXXX`. */
export function printableChar(codePoint: number): string {
  if (codePoint > 0x20 && codePoint < 0x7f && codePoint !== 0x60) return String.fromCodePoint(codePoint);
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

const NUMBER_PARTS = /^(-?[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)(.*)$/s;

export interface NumberValue {
  value: number;
  unit?: string;
  problem?: LiteralProblem;
}

/** The value and unit of a number token such as `1_281_167`, `4e-3`, `300ep`, `5000img/s`. */
export function readNumber(raw: string): NumberValue {
  const match = NUMBER_PARTS.exec(raw);
  if (!match) return { value: 0, problem: { start: 0, end: raw.length, message: `\`${raw}\` is not a number`, label: 'not a number' } };
  const digits = match[1].replace(/_/g, '');
  const unit = match[2] === '' ? undefined : match[2];
  const value = Number(digits);
  if (!Number.isFinite(value)) {
    return {
      value: value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE,
      unit,
      problem: {
        start: 0,
        end: match[1].length,
        message: `number \`${match[1]}\` is out of range`,
        label: 'larger than the largest number (about 1.8e308)',
      },
    };
  }
  if (value === 0 && /[1-9]/.test(digits.replace(/[eE].*$/, ''))) {
    return {
      value,
      unit,
      problem: {
        start: 0,
        end: match[1].length,
        message: `number \`${match[1]}\` is out of range`,
        label: 'too small: it would round to 0 (the smallest is about 5e-324)',
      },
    };
  }
  return { value, unit };
}
