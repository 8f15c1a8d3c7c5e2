// Random ASTs that follow the grammar, for round-trip tests of the printer. Spans are dummies:
// the printer must not need real positions when there are no comments.
import type { ArgNode, BlockNode, Comparator, DeclNode, EntryNode, Expr, FileNode, Identifier, NumberLiteral, Span } from '../../grammar/ast.js';
import type { Rng } from './fuzz-support.js';

const SPAN: Span = { file: 'gen.eft', offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
const NAMES = ['model', 'dataset', 'x', 'steps', 'template', 'true', 'a_b', '_', 'deit_small', 'lr', 'stage', 'inx', 'ont', 'resolution_of_the_first_stage'];
const NUMBERS: [string, number, string?][] = [
  ['0', 0], ['-1', -1], ['300ep', 300, 'ep'], ['20%', 20, '%'], ['1.5x', 1.5, 'x'], ['4e-3', 0.004], ['2e', 2, 'e'],
  ['1_281_167', 1281167], ['5000img/s', 5000, 'img/s'], ['-0.25', -0.25], ['1E3px', 1000, 'px'],
];
const STRINGS = ['', 'plain', 'with "quotes"', 'back\\slash', 'line\nbreak', 'tab\t', 'ctl\u0001\u007f', 'é😀', '# not a comment', '\r'];
const COMPARATORS: Comparator[] = ['<=', '<', '>=', '>', '='];

export class AstGenerator {
  constructor(private readonly rng: Rng) {}

  file(): FileNode {
    const imports = Array.from({ length: this.rng.int(3) }, () => ({ kind: 'Import' as const, path: this.string(), span: SPAN }));
    const decls = Array.from({ length: this.rng.int(4) }, () => this.decl());
    return { kind: 'File', imports, decls, comments: [], span: SPAN };
  }

  private decl(): DeclNode {
    const keyword = this.rng.pick(['experiment', 'template', 'sweep', 'table'] as const);
    return { kind: 'Decl', keyword, name: this.identifier(), ...(this.rng.int(2) ? { base: this.identifier() } : {}), body: this.block(0), span: SPAN };
  }

  private block(depth: number): BlockNode {
    const count = depth > 2 ? this.rng.int(3) : this.rng.int(6);
    return { kind: 'Block', entries: Array.from({ length: count }, () => this.entry(depth + 1)), span: SPAN };
  }

  private entry(depth: number): EntryNode {
    const key = { kind: 'KeyPath' as const, parts: Array.from({ length: 1 + this.rng.int(3) }, () => this.identifier()), span: SPAN };
    const hasValue = this.rng.int(4) > 0;
    const hasBlock = !hasValue || this.rng.int(5) === 0;
    let value: Expr | undefined = hasValue ? this.expr(depth) : undefined;
    if (hasValue && this.rng.int(8) === 0) {
      // the shorthand `key(args)`
      value = { kind: 'Call', callee: { ...key.parts[key.parts.length - 1] }, args: this.args(depth), span: SPAN };
    }
    return {
      kind: 'Entry',
      key,
      ...(this.rng.int(6) === 0 ? { comparator: { op: this.rng.pick(COMPARATORS), span: SPAN } } : {}),
      ...(value ? { value } : {}),
      modifiers: hasValue ? Array.from({ length: this.rng.int(3) === 0 ? 1 + this.rng.int(2) : 0 }, () => ({ kind: 'Modifier' as const, keyword: this.rng.pick(['within', 'on', 'at'] as const), value: this.expr(depth), span: SPAN })) : [],
      ...(hasBlock ? { block: this.block(depth) } : {}),
      span: SPAN,
    };
  }

  private expr(depth: number): Expr {
    const roll = this.rng.int(10);
    if (roll === 0) return { kind: 'Range', from: this.primary(depth), to: this.primary(depth), span: SPAN };
    if (roll === 1) {
      const steps = this.rng.int(2) ? { steps: this.number() } : {};
      return { kind: 'Ramp', from: this.primary(depth), to: this.primary(depth), ...steps, span: SPAN };
    }
    return this.primary(depth);
  }

  private primary(depth: number): Expr {
    const roll = this.rng.int(depth > 4 ? 3 : 5);
    if (roll === 0) return this.number();
    if (roll === 1) return this.string();
    if (roll === 2) return this.identifier();
    if (roll === 3) return { kind: 'List', items: Array.from({ length: this.rng.int(6) }, () => this.expr(depth + 1)), span: SPAN };
    return { kind: 'Call', callee: this.identifier(), args: this.args(depth), span: SPAN };
  }

  private args(depth: number): ArgNode[] {
    return Array.from({ length: this.rng.int(5) }, () => ({ kind: 'Arg' as const, ...(this.rng.int(2) ? { name: this.identifier() } : {}), value: this.expr(depth + 1), span: SPAN }));
  }

  private identifier(): Identifier {
    return { kind: 'Identifier', name: this.rng.pick(NAMES), span: SPAN };
  }

  private number(): NumberLiteral {
    const [raw, value, unit] = this.rng.pick(NUMBERS);
    return { kind: 'Number', value, raw, ...(unit ? { unit } : {}), span: SPAN };
  }

  private string() {
    return { kind: 'String' as const, value: this.rng.pick(STRINGS), span: SPAN };
  }
}
