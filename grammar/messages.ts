// The wording of parse errors: "expected X, found Y", where X depends on the rule that failed.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';

/** How a found token is named in a message. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF || Number.isNaN(token.startOffset)) return 'end of file';
  const image = token.image.length > 24 ? `${token.image.slice(0, 23)}…` : token.image;
  return `\`${image}\``;
}

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function oneOf(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** What may come where a rule's choice failed. */
const EXPECTED_BY_RULE: Record<string, string> = {
  file: '`import`, `experiment`, `template`, `sweep` or `table`',
  decl: '`experiment`, `template`, `sweep` or `table`',
  entry: 'a value or `{`',
  primary: 'a value',
  modifier: '`within`, `on` or `at`',
  expr: '`..` or `->`',
};

export const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    // The top rule ends by matching the end of the file; anything left over is not a declaration.
    if (expected === EOF) return `expected ${EXPECTED_BY_RULE.file}, found ${describeToken(actual)}`;
    return `expected ${expectedInRule(ruleName, label(expected), previous)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${EXPECTED_BY_RULE.file}, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const expected = EXPECTED_BY_RULE[ruleName] ?? oneOf(expectedPathsPerAlt.flat().map((path) => label(path[0])));
    const after = ruleName === 'entry' && previous && !Number.isNaN(previous.startOffset) ? ` after \`${previous.image}\`` : '';
    return `expected ${expected}${after}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `expected ${oneOf(expectedIterationPaths.map((path) => label(path[0])))}, found ${describeToken(actual[0])}`;
  },
};

/** A closing token that failed to match also admits what could have continued the construct. */
function expectedInRule(ruleName: string, expected: string, previous: IToken | undefined): string {
  const afterOpener = (opener: string) => previous?.image === opener;
  if (ruleName === 'block' && expected === '`}`') return 'an entry or `}`';
  if (ruleName === 'list' && expected === '`]`') return afterOpener('[') ? 'a value or `]`' : '`,` or `]`';
  if (ruleName === 'callArgs' && expected === '`)`') return afterOpener('(') ? 'an argument or `)`' : '`,` or `)`';
  return expected;
}
