// Finds where a JSON text stops being JSON. JSON.parse says that a text is invalid but not
// reliably where (V8 often gives no position), and a reader must name the line and column.
// This scanner follows RFC 8259 and runs only after JSON.parse has failed.

export interface JsonSyntaxProblem {
  /** 1-based line and column (column counted in UTF-16 code units, as editors do for BMP text). */
  line: number;
  column: number;
  offset: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  private get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private fail(reason: string, offset = this.pos): never {
    throw new Stop(offset, this.atEnd && offset >= this.text.length ? 'unexpected end of file (is the file truncated?)' : reason);
  }

  private show(): string {
    return JSON.stringify(this.text[this.pos]);
  }

  private skipWhitespace(): void {
    while (!this.atEnd && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  document(): void {
    this.skipWhitespace();
    this.value();
    this.skipWhitespace();
    if (!this.atEnd) this.fail(`unexpected ${this.show()} after the end of the JSON value`);
  }

  private value(): void {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`unexpected ${this.atEnd ? 'end' : this.show()}, expected a value`);
  }

  private object(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`unexpected ${this.show()}, expected a key in double quotes`);
      this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`unexpected ${this.show()}, expected ':' after a key`);
      this.pos++;
      this.value();
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return;
      if (c !== ',') this.fail(`unexpected ${JSON.stringify(c)}, expected ',' or '}' after a value in an object`, this.pos - 1);
    }
  }

  private array(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return;
      if (c !== ',') this.fail(`unexpected ${JSON.stringify(c)}, expected ',' or ']' after a value in an array`, this.pos - 1);
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      if (this.atEnd) this.fail('unterminated string', start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) this.fail('unescaped control character in a string');
      if (c === 0x5c) {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail('invalid \\u escape in a string');
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('invalid escape in a string');
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    const start = this.pos;
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match || match[0] === '-') this.fail('invalid number', start);
    this.pos += match[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail('invalid number', start);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax problem of a text, or undefined when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return { ...lineAndColumn(text, err.offset), offset: err.offset, message: err.reason };
  }
}
