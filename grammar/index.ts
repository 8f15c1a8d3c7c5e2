// The grammar layer of eft: bytes to text, text to AST with syntax diagnostics, AST to canonical text.
export type * from './ast.js';
export { decodeSource, type DecodedSource } from './source.js';
export { parse, type ParseResult } from './parse.js';
export { print } from './print.js';
export { formatSource, type FormatResult } from './format.js';
export { stripSpans, sameAst } from './strip-spans.js';
export { MAX_NESTING } from './delimiters.js';
