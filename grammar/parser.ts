// The Chevrotain parser of eft. Built once and reused: `parseTokens` resets it for every file.
// The grammar (see docs/language.md, "Syntax"); rules are few and flat because every rule
// invocation costs a CST node:
//   file     = { import | decl } ;            (imports after a declaration are reported later)
//   import   = "import" string ;
//   decl     = ( "experiment" | "template" | "sweep" | "table" ) ident [ "extends" ident ] block ;
//   block    = "{" { entry [ ";" ] } "}" ;
//   entry    = ident { "." ident }
//              ( callArgs { modifier } [ block ]      (`key(args)` = `key key(args)`)
//              | [ ":" ] [ comparator ] ( expr { modifier } [ block ] | block ) ) ;
//              (a stray `:` after the key is parsed only to get its own diagnostic)
//   modifier = ( "within" | "on" | "at" ) expr ;
//   expr     = primary [ ".." primary | "->" primary [ "in" number "steps" ] ] ;
//   primary  = number | string | ident [ callArgs ] | list ;
import type { CstNode, CstParser as ChevrotainParser, IRecognitionException, IToken } from 'chevrotain';
import { CstParser } from './chevrotain.js';
import * as T from './tokens.js';
import { messageProvider } from './messages.js';

class EftParser extends CstParser {
  /** `validate`: run Chevrotain's grammar checks (ambiguities, left recursion); see `buildParser`. */
  constructor(validate: boolean) {
    super(T.parserTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messageProvider, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.importDecl) }, { ALT: () => this.SUBRULE(this.decl) }]);
    });
  });

  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit);
  });

  decl = this.RULE('decl', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Experiment) }, { ALT: () => this.CONSUME(T.Template) }, { ALT: () => this.CONSUME(T.Sweep) }, { ALT: () => this.CONSUME(T.Table) }]);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      this.CONSUME2(T.Identifier);
    });
    this.SUBRULE(this.block);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.entry);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  entry = this.RULE('entry', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier);
    });
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.callArgs);
          this.MANY2(() => this.SUBRULE(this.modifier));
          this.OPTION(() => this.SUBRULE(this.block));
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME(T.Colon));
          this.OPTION3(() =>
            this.OR2([
              { ALT: () => this.CONSUME(T.LessEq) },
              { ALT: () => this.CONSUME(T.Less) },
              { ALT: () => this.CONSUME(T.GreaterEq) },
              { ALT: () => this.CONSUME(T.Greater) },
              { ALT: () => this.CONSUME(T.Equals) },
            ]),
          );
          this.OR3([
            {
              ALT: () => {
                this.SUBRULE(this.expr);
                this.MANY3(() => this.SUBRULE2(this.modifier));
                this.OPTION4(() => this.SUBRULE2(this.block));
              },
            },
            { ALT: () => this.SUBRULE3(this.block) },
          ]);
        },
      },
    ]);
  });

  modifier = this.RULE('modifier', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Within) }, { ALT: () => this.CONSUME(T.On) }, { ALT: () => this.CONSUME(T.At) }]);
    this.SUBRULE(this.expr);
  });

  expr = this.RULE('expr', () => {
    this.SUBRULE(this.primary);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.DotDot);
            this.SUBRULE2(this.primary);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Arrow);
            this.SUBRULE3(this.primary);
            this.OPTION2(() => {
              this.CONSUME(T.In);
              this.CONSUME(T.NumberLit);
              this.CONSUME(T.Steps);
            });
          },
        },
      ]),
    );
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.StringLit) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  callArgs = this.RULE('callArgs', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expr);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });
}

/**
 * Builds a parser. Chevrotain's grammar checks cost tens of milliseconds at every start, so the
 * parser `eft` uses skips them; the tests build one with them (`validate`), and a grammar error
 * makes Chevrotain throw there.
 */
export function buildParser(validate = false): ChevrotainParser {
  return new EftParser(validate);
}

const parser = new EftParser(false);

/** Parses a token stream into a CST; with recovery, the CST is partial where errors were found. */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: IRecognitionException[] } {
  // Recovery throws and catches an Error per syntax error; their stack traces are never read and
  // capturing them would dominate the time spent on broken files.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    parser.input = tokens;
    const cst = parser.file();
    return { cst, errors: [...parser.errors] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
