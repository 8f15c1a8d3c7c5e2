// The tokens of the eft language and the Chevrotain lexer built from them. Token labels are
// what syntax errors print ("expected `}`", "expected a name").
import type { Lexer as ChevrotainLexer, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

// Every pattern that is a regular expression names the characters it can start with
// (`start_chars_hint`): the lexer then need not analyse the expression when it is built, which
// is a good part of the start-up time of every `eft` command.
const DIGITS = [...'0123456789'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, start_chars_hint: [' ', '\t', '\r', '\n'], group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, start_chars_hint: ['#'], group: 'comments' });

// A string may not span lines. The second pattern only matches where the first failed: a string
// whose closing quote is missing before the end of its line.
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, start_chars_hint: ['"'], label: 'a string' });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/, start_chars_hint: ['"'], label: 'a string' });

/** `-1_000.5e-3px/s`: sign, digits with `_` separators, fraction, exponent, then a unit written right after. */
export const NUMBER_PATTERN = /-?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?(?:[eE][+-]?[0-9]+)?(?:[A-Za-z%]+(?:\/[A-Za-z]+)?)?/;
export const NumberLit = createToken({ name: 'NumberLit', pattern: NUMBER_PATTERN, start_chars_hint: ['-', ...DIGITS], label: 'a number' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, start_chars_hint: [...LETTERS, '_'], label: 'a name' });

function keyword(word: string, extra: { categories?: TokenType[] } = {}): TokenType {
  const name = word[0].toUpperCase() + word.slice(1);
  return createToken({ name, pattern: word, longer_alt: Identifier, label: `\`${word}\``, ...extra });
}

export const Import = keyword('import');
export const Experiment = keyword('experiment');
export const Sweep = keyword('sweep');
/** A soft keyword: it starts a declaration at the top level; inside a block it is a name (`template "comparison"`). */
export const Template = keyword('template', { categories: [Identifier] });
export const Table = keyword('table');
export const Extends = keyword('extends');
export const Within = keyword('within');
export const On = keyword('on');
export const At = keyword('at');
export const In = keyword('in');
/** A soft keyword: it means something only after `in NUMBER`; everywhere else it is a name. */
export const Steps = keyword('steps', { categories: [Identifier] });

function punctuation(name: string, text: string): TokenType {
  return createToken({ name, pattern: text, label: `\`${text}\`` });
}

export const Arrow = punctuation('Arrow', '->');
export const DotDot = punctuation('DotDot', '..');
export const Dot = punctuation('Dot', '.');
export const LessEq = punctuation('LessEq', '<=');
export const Less = punctuation('Less', '<');
export const GreaterEq = punctuation('GreaterEq', '>=');
export const Greater = punctuation('Greater', '>');
export const Equals = punctuation('Equals', '=');
export const LCurly = punctuation('LCurly', '{');
export const RCurly = punctuation('RCurly', '}');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Colon = punctuation('Colon', ':');
export const Semicolon = punctuation('Semicolon', ';');

/** Every token in the order the lexer tries them (longer punctuation before its prefixes, keywords before names). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLit,
  UnterminatedString,
  NumberLit,
  Import,
  Experiment,
  Sweep,
  Template,
  Table,
  Extends,
  Within,
  On,
  At,
  In,
  Steps,
  Identifier,
  Arrow,
  DotDot,
  Dot,
  LessEq,
  Less,
  GreaterEq,
  Greater,
  Equals,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Semicolon,
];

/** Parsers consume these; the lexer never produces them. */
export const parserTokens: TokenType[] = allTokens.filter((t) => t !== WhiteSpace && t !== Comment && t !== UnterminatedString);

/**
 * Builds the lexer. Chevrotain's checks of the token definitions cost tens of milliseconds at
 * every start, so `eft` skips them; the tests build the lexer once with them (`validate`), and a
 * definition error makes Chevrotain throw there.
 */
export function buildLexer(validate = false): ChevrotainLexer {
  return new Lexer(allTokens, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
    skipValidations: !validate,
    lineTerminatorsPattern: /\n/,
    lineTerminatorCharacters: ['\n'],
  });
}

export const eftLexer = buildLexer();

export const OPENERS: ReadonlyMap<TokenType, TokenType> = new Map([
  [LCurly, RCurly],
  [LParen, RParen],
  [LBracket, RBracket],
]);
export const CLOSERS: ReadonlySet<TokenType> = new Set([RCurly, RParen, RBracket]);
