// parse(text, file): source text to AST and syntax diagnostics. Never throws: every problem in the
// input becomes a diagnostic, and the AST is best-effort when there are errors.
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';
import type { FileNode } from './ast.js';
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import { LineMap } from './positions.js';
import { lex, tokenEnd } from './lex.js';
import { checkDelimiters } from './delimiters.js';
import { parseTokens } from './parser.js';
import { describeToken } from './messages.js';
import { CLOSERS, Experiment, Extends, Import, OPENERS, Sweep, Table, Template } from './tokens.js';
import { CstToAst } from './cst-to-ast.js';

export interface ParseResult {
  ast: FileNode;
  diagnostics: Diagnostic[];
}

/** More parse errors than this in one file are noise; the first ones are the useful ones. */
const MAX_PARSE_ERRORS = 50;

const RESERVED = new Set(['import', 'experiment', 'sweep', 'table', 'extends', 'within', 'on', 'at', 'in']);

export function parse(text: string, file: string): ParseResult {
  const lines = new LineMap(file, text);
  try {
    return parseWith(lines);
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err);
    return {
      ast: { kind: 'File', imports: [], decls: [], comments: [], span: lines.span(0, text.length) },
      diagnostics: [
        makeDiagnostic(SyntaxCode.internalError, 'error', `internal error while parsing ${file}: ${cause}`, {
          notes: ['this is a fault of eft, not of the file; please report it with the file attached'],
        }),
      ],
    };
  }
}

function parseWith(lines: LineMap): ParseResult {
  const lexed = lex(lines);
  const last = lexed.tokens[lexed.tokens.length - 1];
  const eofOffset = last ? tokenEnd(last) : 0;
  const delimiters = checkDelimiters(lexed.tokens, lines, eofOffset);
  const diagnostics = [...lexed.diagnostics, ...delimiters.diagnostics];
  const ast: FileNode = { kind: 'File', imports: [], decls: [], comments: lexed.comments, span: lines.span(0, lines.text.length) };
  const visitor = new CstToAst(lines, diagnostics);
  const errors = new ParseErrors(lines, eofOffset, delimiters.explained);
  const chunks = topLevelChunks(delimiters.tokens);
  chunks.forEach((chunk, i) => {
    const parsed = parseTokens(chunk);
    errors.add(parsed.errors, chunk, chunks[i + 1]?.[0]);
    visitor.items(parsed.cst, ast);
  });
  diagnostics.push(...errors.diagnostics, ...importsAfterDeclarations(ast, lines));
  return { ast, diagnostics: sortDiagnostics(diagnostics) };
}

const TOP_LEVEL_STARTS: ReadonlySet<TokenType> = new Set([Import, Experiment, Template, Sweep, Table]);
/** Tokens a name follows at the top level: there the soft keyword `template` is that name. */
const NAME_BEFORE: ReadonlySet<TokenType> = new Set([Experiment, Template, Sweep, Table, Extends]);

/**
 * The tokens split before every `import` and declaration keyword outside brackets. Each piece
 * is parsed on its own, so that the CST of one declaration is garbage before the next is built:
 * a large file then costs the garbage collector little more per line than a small one. Error
 * recovery stops at these keywords anyway, so the pieces report what the whole would.
 */
function topLevelChunks(tokens: readonly IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    if (depth === 0 && i > start && TOP_LEVEL_STARTS.has(type) && !(type === Template && NAME_BEFORE.has(tokens[i - 1].tokenType))) {
      chunks.push(tokens.slice(start, i));
      start = i;
    }
    if (OPENERS.has(type)) depth++;
    else if (CLOSERS.has(type) && depth > 0) depth--;
  }
  chunks.push(tokens.slice(start));
  return chunks;
}

/** Parse errors as diagnostics: one per place, none where a delimiter diagnostic already is. */
class ParseErrors {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen: Set<number>;
  private full = false;

  constructor(
    private readonly lines: LineMap,
    private readonly eofOffset: number,
    explained: Set<number>,
  ) {
    this.seen = new Set(explained);
  }

  /** `piece` was parsed alone; `next` is the token after it: what its "end of file" really was. */
  add(errors: IRecognitionException[], piece: readonly IToken[], next: IToken | undefined): void {
    for (const e of errors) {
      if (this.full) return;
      let token = e.token;
      let message = e.message;
      const atPieceEnd = token.tokenType === EOF || !(token.startOffset >= 0);
      if (atPieceEnd && next) {
        message = message.replace(/found end of file$/, `found ${describeToken(next)}`);
        token = next;
      }
      const atEof = atPieceEnd && !next;
      const offset = atEof ? this.eofOffset : token.startOffset;
      if (this.seen.has(offset)) continue;
      this.seen.add(offset);
      if (this.diagnostics.length === MAX_PARSE_ERRORS) {
        this.diagnostics[this.diagnostics.length - 1].notes.push('further syntax errors after this one are not shown');
        this.full = true;
        return;
      }
      const insideBlock = !atPieceEnd && nestingBefore(piece, token) > 0;
      this.diagnostics.push(
        makeDiagnostic(SyntaxCode.unexpectedToken, 'error', message, {
          span: atEof ? this.lines.span(this.eofOffset, this.eofOffset) : this.lines.span(offset, tokenEnd(token)),
          label: atEof ? 'the file ends here' : undefined,
          help: atEof ? [] : helpFor(token, insideBlock, e.context.ruleStack[e.context.ruleStack.length - 1] ?? ''),
        }),
      );
    }
  }
}

/** How many brackets are open before `token` in a piece that starts outside all brackets. */
function nestingBefore(piece: readonly IToken[], token: IToken): number {
  let depth = 0;
  for (const t of piece) {
    if (t === token) break;
    if (OPENERS.has(t.tokenType)) depth++;
    else if (CLOSERS.has(t.tokenType) && depth > 0) depth--;
  }
  return depth;
}

function helpFor(token: IToken, insideBlock: boolean, rule: string): string[] {
  const image = token.image;
  if (['experiment', 'sweep', 'table', 'import'].includes(image)) {
    // At the top level the message already says what the item before it is missing.
    if (!insideBlock) return [];
    return image === 'import' ? ['imports belong at the top of the file, outside any declaration'] : ['a declaration cannot appear inside another; is a `}` missing before it?'];
  }
  if (RESERVED.has(image)) return [`\`${image}\` is a reserved word and cannot be used as a name`];
  if (image === ',' && (rule === 'block' || rule === 'entry')) return ['entries are separated by line breaks or `;`, not `,`'];
  return [];
}

function importsAfterDeclarations(ast: FileNode, lines: LineMap): Diagnostic[] {
  const firstDecl = ast.decls[0];
  if (!firstDecl) return [];
  return ast.imports
    .filter((i) => i.span.offset > firstDecl.span.offset)
    .map((i) =>
      makeDiagnostic(SyntaxCode.importAfterDeclaration, 'error', '`import` after a declaration', {
        span: i.span,
        label: 'imports must come before every declaration',
        related: [{ span: lines.span(firstDecl.span.offset, firstDecl.span.offset + firstDecl.keyword.length), message: 'first declaration here' }],
        help: ['move imports to the top of the file'],
      }),
    );
}
