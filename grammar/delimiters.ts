// Checks the brackets before parsing: reports unclosed `{ ( [` with the place they were opened,
// and cuts out anything nested deeper than MAX_NESTING so that the recursive-descent parser,
// the AST visitor and the printer can never exhaust the stack.
import type { IToken, TokenType } from 'chevrotain';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SyntaxCode } from '../diagnostics/codes/syntax.js';
import type { LineMap } from './positions.js';
import { CLOSERS, OPENERS } from './tokens.js';
import { tokenEnd } from './lex.js';

export const MAX_NESTING = 64;

export interface DelimiterResult {
  /** The tokens to parse: the input minus groups nested too deeply. */
  tokens: IToken[];
  diagnostics: Diagnostic[];
  /** Offsets already explained by a delimiter diagnostic; parse errors there would repeat it. */
  explained: Set<number>;
}

export function checkDelimiters(tokens: readonly IToken[], lines: LineMap, eofOffset: number): DelimiterResult {
  const diagnostics: Diagnostic[] = [];
  const explained = new Set<number>();
  const kept: IToken[] = [];
  const open: IToken[] = [];
  const closedPairs: [IToken, IToken][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    if (OPENERS.has(type)) {
      if (open.length >= MAX_NESTING) {
        diagnostics.push(tooDeep(lines, token));
        i = matchingCloser(tokens, i);
        continue;
      }
      open.push(token);
    } else if (CLOSERS.has(type)) {
      const match = findOpener(open, type);
      if (match >= 0) {
        for (let k = open.length - 1; k > match; k--) {
          diagnostics.push(unclosed(lines, open[k], lines.span(token.startOffset, tokenEnd(token)), `expected \`${closerText(open[k])}\` before this \`${token.image}\``, 0));
          explained.add(token.startOffset);
        }
        closedPairs.push([open[match], token]);
        open.length = match;
      }
    }
    kept.push(token);
  }
  if (open.length > 0) {
    const innermost = open[open.length - 1];
    const diagnostic = unclosed(lines, innermost, lines.span(eofOffset, eofOffset), `expected \`${closerText(innermost)}\` before the end of the file`, open.length - 1);
    const suspect = misalignedPair(closedPairs, innermost, lines);
    if (suspect) {
      const [opener, closer] = suspect;
      const closerLine = lines.position(closer.startOffset).line;
      diagnostic.related.push({
        span: lines.span(opener.startOffset, tokenEnd(opener)),
        message: `perhaps this \`${opener.image}\` is the one left open: the \`${closer.image}\` on line ${closerLine} that closes it is indented like line ${lines.position(innermost.startOffset).line}`,
      });
    }
    diagnostics.push(diagnostic);
    explained.add(eofOffset);
  }
  return { tokens: kept, diagnostics, explained };
}

/**
 * The last pair opened after `unclosed` whose closer starts its line at the indentation of
 * `unclosed`'s line rather than its own opener's: the likely place of the missing closer.
 */
function misalignedPair(pairs: readonly [IToken, IToken][], unclosed: IToken, lines: LineMap): [IToken, IToken] | undefined {
  const target = indentation(lines, unclosed.startOffset);
  for (let k = pairs.length - 1; k >= 0; k--) {
    const [opener, closer] = pairs[k];
    if (opener.startOffset < unclosed.startOffset) break;
    const closerIndent = indentation(lines, closer.startOffset);
    const firstOnLine = closerIndent === lines.position(closer.startOffset).column - 1;
    const sameLine = lines.position(opener.startOffset).line === lines.position(closer.startOffset).line;
    if (firstOnLine && !sameLine && closerIndent === target && indentation(lines, opener.startOffset) !== target) return pairs[k];
  }
  return undefined;
}

/** The number of spaces and tabs that start the line holding `offset`. */
function indentation(lines: LineMap, offset: number): number {
  const { column } = lines.position(offset);
  const start = offset - (column - 1);
  let n = 0;
  while (lines.text[start + n] === ' ' || lines.text[start + n] === '\t') n++;
  return n;
}

/** Index of the token that closes the group opened at `start`, or the last index when it is never closed. */
function matchingCloser(tokens: readonly IToken[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    if (OPENERS.has(type)) depth++;
    else if (CLOSERS.has(type) && --depth === 0) return i;
  }
  return tokens.length - 1;
}

function findOpener(open: readonly IToken[], closer: TokenType): number {
  for (let k = open.length - 1; k >= 0; k--) if (OPENERS.get(open[k].tokenType) === closer) return k;
  return -1;
}

function closerText(opener: IToken): string {
  return { '{': '}', '(': ')', '[': ']' }[opener.image] ?? '?';
}

function unclosed(lines: LineMap, opener: IToken, where: ReturnType<LineMap['span']>, label: string, othersOpen: number): Diagnostic {
  return makeDiagnostic(SyntaxCode.unclosedDelimiter, 'error', `unclosed \`${opener.image}\``, {
    span: where,
    label,
    related: [{ span: lines.span(opener.startOffset, tokenEnd(opener)), message: 'opened here' }],
    notes: othersOpen > 0 ? [`${othersOpen} delimiter${othersOpen === 1 ? '' : 's'} opened before it ${othersOpen === 1 ? 'is' : 'are'} unclosed too`] : [],
  });
}

function tooDeep(lines: LineMap, opener: IToken): Diagnostic {
  return makeDiagnostic(SyntaxCode.nestingTooDeep, 'error', `nesting is deeper than ${MAX_NESTING} levels`, {
    span: lines.span(opener.startOffset, tokenEnd(opener)),
    label: `level ${MAX_NESTING + 1} starts here`,
    notes: [`brackets \`{ ( [\` may be nested at most ${MAX_NESTING} levels deep; the parser skipped this group`],
  });
}
