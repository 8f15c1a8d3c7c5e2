// Lexing: the Chevrotain lexer, then the checks of single tokens (characters no token accepts,
// unterminated strings, bad escapes, numbers out of range) turned into diagnostics. String and
// number tokens leave here with their decoded value in `payload`.
import type { IToken } from 'chevrotain';
import type { Comment } from './ast.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import type { LineMap } from './positions.js';
import { eftLexer, NumberLit, StringLit, UnterminatedString } from './tokens.js';
import { decodeString, printableChar, readNumber, type LiteralProblem } from './literals.js';

export interface StringPayload {
  value: string;
}

export interface NumberPayload {
  value: number;
  unit?: string;
}

export interface LexResult {
  /** The tokens the parser reads (no whitespace, no comments). */
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

export function lex(lines: LineMap): LexResult {
  const result = eftLexer.tokenize(lines.text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => unexpectedCharacters(lines, e.offset, e.length));
  const tokens: IToken[] = [];
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      diagnostics.push(unterminatedString(lines, token));
      const fixed: IToken = { ...token, tokenType: StringLit, tokenTypeIdx: StringLit.tokenTypeIdx! };
      fixed.payload = readStringToken(lines, fixed, false, diagnostics);
      tokens.push(fixed);
    } else if (token.tokenType === StringLit) {
      token.payload = readStringToken(lines, token, true, diagnostics);
      tokens.push(token);
    } else if (token.tokenType === NumberLit) {
      token.payload = readNumberToken(lines, token, diagnostics);
      tokens.push(token);
    } else {
      tokens.push(token);
    }
  }
  const comments = (result.groups.comments ?? []).map((token): Comment => {
    const text = token.image.replace(/[ \t]+$/, '');
    return { kind: 'Comment', text, span: lines.span(token.startOffset, token.startOffset + text.length) };
  });
  return { tokens, comments, diagnostics };
}

function readStringToken(lines: LineMap, token: IToken, terminated: boolean, diagnostics: Diagnostic[]): StringPayload {
  const { value, problems } = decodeString(token.image, terminated);
  for (const p of problems) diagnostics.push(literalDiagnostic(SyntaxCode.invalidEscape, lines, token, p));
  return { value };
}

function readNumberToken(lines: LineMap, token: IToken, diagnostics: Diagnostic[]): NumberPayload {
  const { value, unit, problem } = readNumber(token.image);
  if (problem) diagnostics.push(literalDiagnostic(SyntaxCode.numberOutOfRange, lines, token, problem));
  return unit === undefined ? { value } : { value, unit };
}

function literalDiagnostic(code: string, lines: LineMap, token: IToken, p: LiteralProblem): Diagnostic {
  return makeDiagnostic(code, 'error', p.message, {
    span: lines.span(token.startOffset + p.start, token.startOffset + p.end),
    label: p.label,
    help: p.help ? [p.help] : [],
  });
}

function unterminatedString(lines: LineMap, token: IToken): Diagnostic {
  return makeDiagnostic(SyntaxCode.unterminatedString, 'error', 'unterminated string', {
    span: lines.span(token.startOffset, tokenEnd(token)),
    label: 'this string has no closing `"` on its line',
    help: ['close the string with `"`; a string cannot span lines (write `\\n` for a line break)'],
  });
}

const CHARACTER_HELP: Record<string, string> = {
  "'": 'strings are written in double quotes: "text"',
  '/': 'comments start with `#`',
  '-': 'a negative number has its `-` right before the digits (`-1`); a ramp is written `a -> b`',
  '\u00a0': 'this is a non-breaking space; replace it with an ordinary space',
  '\ufeff': 'a byte order mark is allowed only at the very start of a file',
};

function unexpectedCharacters(lines: LineMap, offset: number, length: number): Diagnostic {
  const text = lines.text.slice(offset, offset + length);
  const chars = Array.from(text);
  const shown = chars.slice(0, 8).map((c) => printableChar(c.codePointAt(0)!));
  const allPlain = shown.every((s) => !s.startsWith('U+'));
  const list = allPlain ? `\`${shown.join('')}\`` : shown.join(' ');
  const more = chars.length > 8 ? ` and ${chars.length - 8} more` : '';
  const message = `unexpected character${chars.length > 1 ? 's' : ''} ${list}${more}`;
  const help = CHARACTER_HELP[chars[0]];
  return makeDiagnostic(SyntaxCode.unexpectedCharacter, 'error', message, {
    span: lines.span(offset, offset + length),
    label: chars.length > 1 ? 'no token starts with these characters' : 'no token starts with this character',
    help: help ? [help] : [],
  });
}
