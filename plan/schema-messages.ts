// Turns ajv's validation errors into problems a person reads: the JSON pointer, what the
// schema expects there and what the plan has (`/stages/3/resolution_px: expected integer ≥ 1,
// found -4`).
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { PlanProblem } from './errors.js';
import { pointerToken } from './canonical.js';

type SchemaNode = Record<string, unknown>;

/** Phrases for the patterns of the schema, which mean nothing to most readers as regexes. */
const PATTERN_PHRASES: Record<string, string> = {
  '^[0-9a-f]{64}$': '64 lowercase hexadecimal digits',
  '^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?$': 'a version such as 1.2.3',
  '^(?![/\\\\])(?![A-Za-z]:)[^\\\\]*$': 'a path relative to the project root with / separators',
  '^rand-m[0-9.e+-]+-n[0-9]+-mstd[0-9.e+-]+-inc1$': 'a timm RandAugment string rand-m<m>-n<n>-mstd<mstd>-inc1',
};

function resolve(node: unknown, root: SchemaNode): SchemaNode {
  let current = node as SchemaNode;
  for (let depth = 0; typeof current?.$ref === 'string' && depth < 20; depth++) {
    const path = (current.$ref as string).replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const part of path) target = (target as SchemaNode)[part];
    current = { ...(target as SchemaNode), ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== '$ref')) };
  }
  return current ?? {};
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'integer',
  number: 'number',
  string: 'string',
  boolean: 'true or false',
  object: 'object',
  array: 'array',
  null: 'null',
};

function bounds(node: SchemaNode, which: 'lower' | 'upper' | 'both'): string {
  const lo = node.minimum ?? node.exclusiveMinimum;
  const hi = node.maximum ?? node.exclusiveMaximum;
  const loText = node.minimum !== undefined ? `≥ ${lo}` : `> ${lo}`;
  const hiText = node.maximum !== undefined ? `≤ ${hi}` : `< ${hi}`;
  if (which === 'lower') return lo === undefined ? '' : ` ${loText}`;
  if (which === 'upper') return hi === undefined ? '' : ` ${hiText}`;
  if (lo !== undefined && hi !== undefined) {
    return ` in ${node.minimum !== undefined ? '[' : '('}${lo}, ${hi}${node.maximum !== undefined ? ']' : ')'}`;
  }
  return lo !== undefined ? ` ${loText}` : hi !== undefined ? ` ${hiText}` : '';
}

/** What a schema node accepts, in words. `which` picks the bound to state for range errors. */
export function describeSchema(raw: unknown, root: SchemaNode, which: 'lower' | 'upper' | 'both' = 'both'): string {
  const node = resolve(raw, root);
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (Array.isArray(node.anyOf)) return (node.anyOf as unknown[]).map((branch) => describeSchema(branch, root, which)).join(' or ');
  if (Array.isArray(node.oneOf) && node.discriminator) {
    const tag = (node.discriminator as { propertyName: string }).propertyName;
    const tags = (node.oneOf as SchemaNode[]).map((b) => JSON.stringify(((b.properties as SchemaNode)[tag] as SchemaNode).const));
    return `object with ${tag} one of ${tags.join(', ')}`;
  }
  const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
  const parts = types.map((t) => {
    let word = TYPE_WORDS[t] ?? t;
    if (t === 'integer' || t === 'number') word += bounds(node, which);
    if (t === 'string' && typeof node.pattern === 'string') word = PATTERN_PHRASES[node.pattern] ?? `string matching /${node.pattern}/`;
    else if (t === 'string' && node.minLength === 1) word = 'non-empty string';
    if (t === 'array' && typeof node.minItems === 'number' && node.minItems > 0) word = `array of at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`;
    return word;
  });
  return parts.length > 0 ? parts.join(' or ') : 'a value';
}

/** What a plan has at some place, in words. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  return 'an object';
}

function displayPointer(pointer: string): string {
  return pointer === '' ? '/' : pointer;
}

function problemOf(error: ErrorObject, root: SchemaNode): PlanProblem {
  const at = error.instancePath;
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const found = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      const expected = describeSchema((parent.properties as SchemaNode | undefined)?.[key], root);
      return { pointer: `${at}/${pointerToken(key)}`, message: `expected ${expected}, found nothing (the key is missing)` };
    }
    case 'additionalProperties': {
      const allowed = Object.keys((parent.properties as SchemaNode | undefined) ?? {});
      const key = String(params.additionalProperty);
      return {
        pointer: `${at}/${pointerToken(key)}`,
        message: `unknown key; the keys of ${displayPointer(at)} are ${allowed.join(', ')}`,
      };
    }
    case 'minimum':
    case 'exclusiveMinimum':
      return { pointer: displayPointer(at), message: `expected ${describeSchema(parent, root, 'lower')}, found ${found}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { pointer: displayPointer(at), message: `expected ${describeSchema(parent, root, 'upper')}, found ${found}` };
    case 'uniqueItems':
      return { pointer: displayPointer(at), message: `expected distinct items, found item ${params.i} repeating item ${params.j}` };
    case 'maxItems':
      return { pointer: displayPointer(at), message: `expected at most ${params.limit} items, found ${found}` };
    case 'maxLength':
      return { pointer: displayPointer(at), message: `expected at most ${params.limit} characters, found ${found}` };
    case 'maxProperties':
      return { pointer: displayPointer(at), message: `expected at most ${params.limit} keys, found ${Object.keys(error.data as object).length}` };
    case 'discriminator': {
      const tag = String(params.tag);
      const branches = (parent.oneOf as SchemaNode[]).map((b) => JSON.stringify(((b.properties as SchemaNode)[tag] as SchemaNode).const));
      const value = (error.data as Record<string, unknown> | null)?.[tag];
      return { pointer: `${at}/${pointerToken(tag)}`, message: `expected one of ${branches.join(', ')}, found ${describeValue(value)}` };
    }
    default:
      return { pointer: displayPointer(at), message: `expected ${describeSchema(parent, root)}, found ${found}` };
  }
}

/** One problem per place, in document order of ajv's report. */
export function problemsFromAjv(errors: readonly ErrorObject[], root: SchemaNode): PlanProblem[] {
  const seen = new Set<string>();
  const problems: PlanProblem[] = [];
  // An anyOf says once what all its branches accept; the errors of each branch only confuse.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf');
  const insideAlternative = (e: ErrorObject) =>
    alternatives.some((a) => a !== e && e.instancePath === a.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`));
  for (const error of errors.filter((e) => !insideAlternative(e))) {
    // The oneOf summary repeats what the branch chosen by the discriminator already said.
    if (error.keyword === 'oneOf' && errors.length > 1) continue;
    const problem = problemOf(error, root);
    if (seen.has(problem.pointer)) continue;
    seen.add(problem.pointer);
    problems.push(problem);
  }
  return problems;
}
