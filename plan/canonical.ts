// Canonical JSON and the plan's content hash.
//
// The canonical form is the JSON Canonicalization Scheme (RFC 8785): object keys sorted by
// UTF-16 code units, no whitespace, strings and numbers written as ECMAScript's JSON.stringify
// writes them (numbers in their shortest round-trip form, integers without a fraction or
// exponent below 1e21, -0 as 0). Only finite numbers, strings, booleans, null, arrays and plain
// objects are allowed (an object property set to undefined is left out, as JSON.stringify
// does): anything else is a bug in whoever built the value, reported with the JSON pointer
// where it sits.
//
// A plan file holds the same value pretty-printed (sorted keys, two-space indent, trailing
// newline), so files are byte-identical whenever their content is; the hash does not depend on
// the layout, only on the content.
import { createHash } from 'node:crypto';
import type { Plan, UnhashedPlan } from './types.js';

export class CanonicalJsonError extends Error {
  constructor(
    readonly pointer: string,
    readonly found: string,
  ) {
    super(`${pointer || '/'}: expected a finite number, string, boolean, null, array or plain object, found ${found}`);
  }
}

/** `~` and `/` escaped as RFC 6901 asks. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeBad(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}

/** A copy of a JSON value with every object's keys in sorted order; throws on non-JSON values. */
export function sortedJsonValue(value: unknown, pointer = ''): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalJsonError(pointer, describeBad(value));
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) return value.map((item, i) => sortedJsonValue(item, `${pointer}/${i}`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      // An optional property set to undefined is absent, as in JSON.stringify.
      if (item === undefined) continue;
      out[key] = sortedJsonValue(item, `${pointer}/${pointerToken(key)}`);
    }
    return out;
  }
  throw new CanonicalJsonError(pointer, describeBad(value));
}

/** The canonical (RFC 8785) text of a JSON value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedJsonValue(value));
}

/** The text of a plan file: sorted keys, two-space indent, a final newline. */
export function planFileText(plan: Plan): string {
  return JSON.stringify(sortedJsonValue(plan), null, 2) + '\n';
}

/** sha256 (lowercase hex) of the canonical JSON of the plan without its `plan_sha256` key. */
export function computePlanHash(plan: UnhashedPlan | Plan): string {
  const { plan_sha256: _omitted, ...content } = plan as Plan;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/** The plan with its `plan_sha256` set to the hash of its content. */
export function withPlanHash(plan: UnhashedPlan | Plan): Plan {
  return { ...(plan as UnhashedPlan), plan_sha256: computePlanHash(plan) };
}
