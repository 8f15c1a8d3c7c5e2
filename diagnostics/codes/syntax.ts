import type { CodeInfo } from './types.js';

/** Codes of the grammar layer: reading bytes, lexing and parsing. */
export const SYNTAX_CODES: readonly CodeInfo[] = [
  { code: 'EFT0001', severity: 'error', title: 'unexpected character' },
  { code: 'EFT0002', severity: 'error', title: 'unterminated string' },
  { code: 'EFT0003', severity: 'error', title: 'invalid escape sequence in a string' },
  { code: 'EFT0004', severity: 'error', title: 'number out of range' },
  { code: 'EFT0005', severity: 'error', title: 'unexpected token' },
  { code: 'EFT0006', severity: 'error', title: 'unclosed delimiter' },
  { code: 'EFT0007', severity: 'error', title: 'nesting too deep' },
  { code: 'EFT0008', severity: 'error', title: 'import after a declaration' },
  { code: 'EFT0009', severity: 'error', title: 'invalid UTF-8' },
  { code: 'EFT0010', severity: 'error', title: 'binary file' },
  { code: 'EFT0099', severity: 'error', title: 'internal error of the parser or formatter' },
];

/** The syntax codes by name, so that the grammar never spells a number twice. */
export const SyntaxCode = {
  unexpectedCharacter: 'EFT0001',
  unterminatedString: 'EFT0002',
  invalidEscape: 'EFT0003',
  numberOutOfRange: 'EFT0004',
  unexpectedToken: 'EFT0005',
  unclosedDelimiter: 'EFT0006',
  nestingTooDeep: 'EFT0007',
  importAfterDeclaration: 'EFT0008',
  invalidUtf8: 'EFT0009',
  binaryFile: 'EFT0010',
  internalError: 'EFT0099',
} as const;
