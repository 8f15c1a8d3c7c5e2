// Checks a written value against its schema and converts it to canonical units. The
// structural rules report the problems; the elaborator converts values that passed.
import type { Expr, NumberLiteral, Span } from '../grammar/ast.js';
import type { NumberSpec, UnitKind, ValueSpec, CallSpec } from './schema.js';
import { didYouMean } from '../diagnostics/suggest.js';

export type ProblemKind = 'kind' | 'unit' | 'range' | 'enum' | 'argument';

export interface ValueProblem {
  kind: ProblemKind;
  message: string;
  span: Span;
  label?: string;
  help: string[];
  /** Other places the problem involves (the first of a repeated argument). */
  related?: { span: Span; message: string }[];
}

const UNIT_WORDS: Record<UnitKind, string> = {
  count: 'a plain number',
  epochs: 'epochs (`300ep`)',
  fraction: 'a fraction (`20%` or `0.2`)',
  factor: 'a factor (`1.5x`)',
  pixels: 'pixels (`224px`)',
  resolution: 'a resolution (`224px`, or `50%` of the full resolution)',
  duration: 'a duration (`400h`, `30min`, `90s`, `2d`)',
  throughput: 'a throughput (`5000img/s`)',
};

const ALLOWED_UNITS: Record<UnitKind, readonly string[]> = {
  count: [],
  epochs: ['ep'],
  fraction: ['%'],
  factor: ['x'],
  pixels: ['px'],
  resolution: ['px', '%'],
  duration: ['h', 'min', 's', 'd'],
  throughput: ['img/s'],
};

const ALL_UNITS = ['ep', '%', 'x', 'px', 'h', 'min', 's', 'd', 'img/s'];

/** Whether a number may be written without a unit in this family. */
const BARE_ALLOWED: Record<UnitKind, boolean> = {
  count: true,
  epochs: true,
  fraction: true,
  factor: true,
  pixels: true,
  resolution: true,
  duration: false,
  throughput: true,
};

/** The value of a number in the canonical unit of its family (fractions for `%`, hours for durations). */
export function canonicalNumber(num: NumberLiteral, units: UnitKind): number {
  switch (num.unit) {
    case '%':
      return num.value / 100;
    case 'min':
      return num.value / 60;
    case 's':
      return units === 'duration' ? num.value / 3600 : num.value;
    case 'd':
      return num.value * 24;
    default:
      return num.value;
  }
}

/** What a value is, in words: `the number `4``, `a list`, `a call of `vit``. */
export function describeValue(expr: Expr): string {
  switch (expr.kind) {
    case 'Number':
      return `the number \`${expr.raw}\``;
    case 'String':
      return 'a string';
    case 'Identifier':
      return `the name \`${expr.name}\``;
    case 'Call':
      return `a call of \`${expr.callee.name}\``;
    case 'List':
      return 'a list';
    case 'Range':
      return 'a range';
    case 'Ramp':
      return 'a ramp';
  }
}

function expected(spec: ValueSpec): string {
  switch (spec.type) {
    case 'number':
      return spec.integer ? `a whole number${spec.units === 'count' ? '' : ` of ${UNIT_WORDS[spec.units]}`}` : UNIT_WORDS[spec.units];
    case 'string':
      return 'a string in double quotes';
    case 'bool':
      return '`true` or `false`';
    case 'enum':
      return `one of ${spec.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'name':
      return `the name of a ${spec.of}`;
    case 'call':
      return Object.keys(spec.callees).length > 0 ? `one of ${Object.keys(spec.callees).map((c) => `\`${c}(...)\``).join(', ')}` : 'a name or a call';
    case 'list':
      return `a list of ${expected(spec.item)}`;
    case 'per_stage':
      return `${expected(spec.item)}, a list of them (one per stage) or a ramp \`a -> b\``;
    case 'stage_selector':
      return 'a stage number (`3`) or a range (`0% .. 10%`)';
    case 'range':
      return `a range \`a .. b\` of ${expected(spec.item)}`;
    case 'one_of':
      return spec.options.map(expected).join(' or ');
  }
}

function formatBound(value: number, units: UnitKind): string {
  if (units === 'fraction') return `${+(value * 100).toPrecision(6)}%`;
  return String(value);
}

export function checkNumber(num: NumberLiteral, spec: NumberSpec): ValueProblem[] {
  const unit = num.unit;
  if (unit !== undefined && !ALLOWED_UNITS[spec.units].includes(unit)) {
    const known = ALL_UNITS.includes(unit);
    return [
      {
        kind: 'unit',
        message: known ? `expected ${UNIT_WORDS[spec.units]}, found \`${num.raw}\`` : `unknown unit \`${unit}\` in \`${num.raw}\``,
        span: num.span,
        label: known ? `\`${unit}\` is not a unit of this value` : 'unknown unit',
        help: known
          ? [ALLOWED_UNITS[spec.units].length > 0 ? `write it in ${ALLOWED_UNITS[spec.units].map((u) => `\`${u}\``).join(' or ')}` : 'write a plain number, without a unit']
          : [`units are ${ALL_UNITS.map((u) => `\`${u}\``).join(', ')}`, ...didYouMean(unit, ALL_UNITS)],
      },
    ];
  }
  if (unit === undefined && !BARE_ALLOWED[spec.units]) {
    return [{ kind: 'unit', message: `\`${num.raw}\` needs a unit: expected ${UNIT_WORDS[spec.units]}`, span: num.span, label: 'no unit', help: [`for example \`${num.raw}h\``] }];
  }
  const value = canonicalNumber(num, spec.units);
  if (spec.integer && !Number.isInteger(value)) {
    return [{ kind: 'range', message: `expected a whole number, found \`${num.raw}\``, span: num.span, label: 'not a whole number', help: [] }];
  }
  const tooLow = spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min);
  const tooHigh = spec.max !== undefined && value > spec.max;
  if (tooLow || tooHigh) {
    const lower = spec.min === undefined ? '' : `${spec.minExclusive ? 'greater than' : 'at least'} ${formatBound(spec.min, spec.units)}`;
    const upper = spec.max === undefined ? '' : `at most ${formatBound(spec.max, spec.units)}`;
    const range = [lower, upper].filter((s) => s !== '').join(' and ');
    return [{ kind: 'range', message: `\`${num.raw}\` is out of range: must be ${range}`, span: num.span, label: 'out of range', help: [] }];
  }
  return [];
}

function kindProblem(expr: Expr, spec: ValueSpec): ValueProblem {
  return { kind: 'kind', message: `expected ${expected(spec)}, found ${describeValue(expr)}`, span: expr.span, label: 'wrong kind of value', help: [] };
}

function checkCall(expr: Expr, callees: Record<string, CallSpec>): ValueProblem[] {
  const names = Object.keys(callees);
  const name = expr.kind === 'Call' ? expr.callee.name : expr.kind === 'Identifier' ? expr.name : undefined;
  if (name === undefined) return [kindProblem(expr, { type: 'call', callees })];
  const callee = callees[name];
  const nameSpan = expr.kind === 'Call' ? expr.callee.span : expr.span;
  if (!Object.prototype.hasOwnProperty.call(callees, name) || !callee) {
    return [{ kind: 'enum', message: `unknown \`${name}\`: expected one of ${names.map((n) => `\`${n}\``).join(', ')}`, span: nameSpan, label: 'unknown', help: didYouMean(name, names) }];
  }
  if (expr.kind === 'Identifier') {
    if (callee.bare) return [];
    return [{ kind: 'argument', message: `\`${name}\` needs arguments: ${callee.doc}`, span: expr.span, label: 'arguments missing', help: [`write \`${callee.doc}\``] }];
  }
  if (expr.kind !== 'Call') return [];
  return checkArgs(expr, callee.args, callee.doc);
}

/**
 * The argument shapes of a call whose arguments are checked where the call is resolved (a model
 * family, a library curriculum): each must be named, given once, and a number, a name or a string.
 */
export function checkOpenCallArguments(expr: Extract<Expr, { kind: 'Call' }>): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const first = new Map<string, Span>();
  const callee = expr.callee.name;
  for (const arg of expr.args) {
    if (!arg.name) {
      problems.push({ kind: 'argument', message: `arguments of \`${callee}\` must be named`, span: arg.span, label: 'positional argument', help: ['write `name: value`'] });
      continue;
    }
    const name = arg.name.name;
    const earlier = first.get(name);
    if (earlier) {
      problems.push({ kind: 'argument', message: `argument \`${name}\` is given twice`, span: arg.span, label: 'repeated', help: [], related: [{ span: earlier, message: 'first given here' }] });
      continue;
    }
    first.set(name, arg.span);
    const kind = arg.value.kind;
    if (kind !== 'Number' && kind !== 'Identifier' && kind !== 'String') {
      problems.push({ kind: 'kind', message: `argument \`${name}\` of \`${callee}\` takes a number or a name, not ${describeValue(arg.value)}`, span: arg.value.span, label: 'wrong kind of value', help: [] });
    }
  }
  return problems;
}

/** Checks the named arguments of a call against their specs: unknown, repeated, positional, missing, values. */
export function checkArgs(expr: Extract<Expr, { kind: 'Call' }>, args: Record<string, { value: ValueSpec; required?: boolean }>, usage: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const seen = new Map<string, Span>();
  const argNames = Object.keys(args);
  for (const arg of expr.args) {
    if (!arg.name) {
      problems.push({ kind: 'argument', message: `arguments of \`${expr.callee.name}\` must be named`, span: arg.span, label: 'positional argument', help: [`write \`${usage}\``] });
      continue;
    }
    const name = arg.name.name;
    const spec = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    if (!spec) {
      problems.push({ kind: 'argument', message: `\`${expr.callee.name}\` has no argument \`${name}\``, span: arg.name.span, label: 'unknown argument', help: [...didYouMean(name, argNames), `arguments are ${argNames.map((a) => `\`${a}\``).join(', ')}`] });
      continue;
    }
    const earlier = seen.get(name);
    if (earlier) {
      problems.push({ kind: 'argument', message: `argument \`${name}\` is given twice`, span: arg.span, label: 'repeated', help: [], related: [{ span: earlier, message: 'first given here' }] });
      continue;
    }
    seen.set(name, arg.span);
    problems.push(...checkValue(arg.value, spec.value));
  }
  for (const [name, spec] of Object.entries(args)) {
    if (spec.required && !seen.has(name)) {
      problems.push({ kind: 'argument', message: `\`${expr.callee.name}\` needs the argument \`${name}\``, span: expr.span, label: `\`${name}\` missing`, help: [`write \`${usage}\``] });
    }
  }
  return problems;
}

/** Every problem of `expr` against `spec`. Names (`of: ...`) are only checked for shape here; what they refer to is checked by their own rules. */
export function checkValue(expr: Expr, spec: ValueSpec): ValueProblem[] {
  switch (spec.type) {
    case 'number':
      return expr.kind === 'Number' ? checkNumber(expr, spec) : [kindProblem(expr, spec)];
    case 'string':
      return expr.kind === 'String' ? [] : [kindProblem(expr, spec)];
    case 'bool':
      return expr.kind === 'Identifier' && (expr.name === 'true' || expr.name === 'false') ? [] : [kindProblem(expr, spec)];
    case 'enum':
      if (expr.kind !== 'Identifier') return [kindProblem(expr, spec)];
      if (spec.values.includes(expr.name)) return [];
      return [{ kind: 'enum', message: `unknown value \`${expr.name}\`: expected ${expected(spec)}`, span: expr.span, label: 'unknown', help: didYouMean(expr.name, spec.values) }];
    case 'name':
      return expr.kind === 'Identifier' ? [] : [kindProblem(expr, spec)];
    case 'call':
      if (Object.keys(spec.callees).length > 0) return checkCall(expr, spec.callees);
      if (expr.kind === 'Call') return checkOpenCallArguments(expr);
      return expr.kind === 'Identifier' ? [] : [kindProblem(expr, spec)];
    case 'list':
      return expr.kind === 'List' ? expr.items.flatMap((item) => checkValue(item, spec.item)) : [kindProblem(expr, spec)];
    case 'per_stage':
      if (expr.kind === 'Number') return checkNumber(expr, spec.item);
      if (expr.kind === 'List') {
        if (expr.items.length === 0) return [{ kind: 'kind', message: 'a per-stage list needs at least one value', span: expr.span, label: 'empty list', help: [] }];
        return expr.items.flatMap((item) => checkValue(item, spec.item));
      }
      if (expr.kind === 'Ramp') {
        const problems = [...checkValue(expr.from, spec.item), ...checkValue(expr.to, spec.item)];
        if (expr.steps) problems.push(...checkNumber(expr.steps, { type: 'number', units: 'count', integer: true, min: 1, max: 10_000 }));
        return problems;
      }
      return [kindProblem(expr, spec)];
    case 'stage_selector':
      if (expr.kind === 'Number') return checkNumber(expr, { type: 'number', units: 'count', integer: true, min: 1, max: 10_000 });
      if (expr.kind === 'Range') {
        const problems: ValueProblem[] = [];
        for (const bound of [expr.from, expr.to]) {
          if (bound.kind !== 'Number') problems.push(kindProblem(bound, { type: 'number', units: 'fraction' }));
          else if (bound.unit !== '%' && bound.unit !== 'ep') {
            problems.push({ kind: 'unit', message: `stage bounds need a unit: \`%\` of the compute or \`ep\` epochs, found \`${bound.raw}\``, span: bound.span, label: 'no clock unit', help: ['write `0% .. 10%` or `0ep .. 60ep`'] });
          } else if (bound.value < 0) {
            problems.push({ kind: 'range', message: `stage bound \`${bound.raw}\` is negative`, span: bound.span, label: 'out of range', help: [] });
          } else if (bound.unit === '%' && bound.value > 100) {
            problems.push({ kind: 'range', message: `stage bound \`${bound.raw}\` is beyond 100% of the compute`, span: bound.span, label: 'out of range', help: [] });
          }
        }
        if (problems.length === 0 && expr.from.kind === 'Number' && expr.to.kind === 'Number') {
          if (expr.from.unit !== expr.to.unit) {
            problems.push({ kind: 'unit', message: `stage bounds mix clocks: \`${expr.from.raw}\` and \`${expr.to.raw}\``, span: expr.span, label: 'mixed units', help: ['use `%` on both sides, or `ep` on both'] });
          } else if (expr.to.value <= expr.from.value) {
            problems.push({ kind: 'range', message: `stage range \`${expr.from.raw} .. ${expr.to.raw}\` is empty`, span: expr.span, label: 'end is not after start', help: [] });
          }
        }
        return problems;
      }
      return [kindProblem(expr, spec)];
    case 'range': {
      if (expr.kind !== 'Range') return [kindProblem(expr, spec)];
      const problems: ValueProblem[] = [];
      for (const bound of [expr.from, expr.to]) problems.push(...(bound.kind === 'Number' ? checkNumber(bound, spec.item) : [kindProblem(bound, spec.item)]));
      if (problems.length === 0 && expr.from.kind === 'Number' && expr.to.kind === 'Number' && canonicalNumber(expr.to, spec.item.units) < canonicalNumber(expr.from, spec.item.units)) {
        problems.push({ kind: 'range', message: `range \`${expr.from.raw} .. ${expr.to.raw}\` runs backwards`, span: expr.span, label: 'end is below start', help: [`write \`${expr.to.raw} .. ${expr.from.raw}\``] });
      }
      return problems;
    }
    case 'one_of': {
      for (const option of spec.options) {
        if (shapeMatches(expr, option)) return checkValue(expr, option);
      }
      return [kindProblem(expr, spec)];
    }
  }
}

function shapeMatches(expr: Expr, spec: ValueSpec): boolean {
  switch (spec.type) {
    case 'number':
      return expr.kind === 'Number';
    case 'string':
      return expr.kind === 'String';
    case 'bool':
    case 'enum':
    case 'name':
      return expr.kind === 'Identifier';
    case 'call':
      return expr.kind === 'Call' || (expr.kind === 'Identifier' && Object.keys(spec.callees).length > 0);
    case 'list':
      return expr.kind === 'List';
    case 'per_stage':
      return expr.kind === 'Number' || expr.kind === 'List' || expr.kind === 'Ramp';
    case 'stage_selector':
      return expr.kind === 'Number' || expr.kind === 'Range';
    case 'range':
      return expr.kind === 'Range';
    case 'one_of':
      return spec.options.some((o) => shapeMatches(expr, o));
  }
}
