import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CanonicalJsonError, canonicalJson, computePlanHash, planFileText, withPlanHash } from '../../plan/canonical.js';
import { emitPlan } from '../../compiler/plan/emit.js';
import { deitContext, META } from './contexts.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: -0 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":1.5}}');
  });

  it('writes numbers as ECMAScript does: integers without exponent below 1e21, shortest round trip otherwise', () => {
    assert.equal(canonicalJson({ int: 5.3e18, big: 5.3e21, small: 1e-7, unicode: 'é' }), '{"big":5.3e+21,"int":5300000000000000000,"small":1e-7,"unicode":"é"}');
    assert.equal(canonicalJson([0.1 + 0.2, 1e-6, 4e-3]), '[0.30000000000000004,0.000001,0.004]');
  });

  it('hashes the UTF-8 bytes of the canonical text (pinned vectors)', () => {
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    assert.equal(sha(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: -0 } })), 'a1b10f0af7936d0d50e6e02136870697f0fddd28196870d9463b9c4424607757');
    assert.equal(sha(canonicalJson({ int: 5.3e18, big: 5.3e21, small: 1e-7, unicode: 'é' })), '6f03be9d06a6aec91106d192e42efabd1bc031b71ce16f801baf988e6afc293e');
  });

  it('refuses values JSON cannot hold, naming where they are', () => {
    assert.throws(() => canonicalJson({ stages: [{ epochs: Number.NaN }] }), (err: unknown) => {
      assert.ok(err instanceof CanonicalJsonError);
      assert.equal(err.message, '/stages/0/epochs: expected a finite number, string, boolean, null, array or plain object, found NaN');
      return true;
    });
    assert.throws(() => canonicalJson({ a: Infinity }), /\/a: .* found Infinity/);
    assert.throws(() => canonicalJson({ a: [1, undefined] }), /\/a\/1: .* found undefined/);
    assert.equal(canonicalJson({ a: 1, optional: undefined }), '{"a":1}');
    assert.throws(() => canonicalJson({ when: new Date(0) }), /\/when: .* found an instance of Date/);
    assert.throws(() => canonicalJson({ 'a/b': { '~': 1n } }), /\/a~1b\/~0: .* found a bigint/);
  });

  it('computes the plan hash over the content without plan_sha256, so the recorded hash does not matter', () => {
    const plan = emitPlan(deitContext(), META);
    const { plan_sha256: recorded, ...content } = plan;
    const expected = createHash('sha256').update(canonicalJson(content)).digest('hex');
    assert.equal(recorded, expected);
    assert.equal(computePlanHash({ ...plan, plan_sha256: '0'.repeat(64) }), expected);
    assert.equal(withPlanHash(content).plan_sha256, expected);
  });

  it('writes plan files with sorted keys, two-space indent and a final newline; the layout does not change the hash', () => {
    const plan = emitPlan(deitContext(), META);
    const text = planFileText(plan);
    assert.ok(text.startsWith('{\n  "baseline": {\n    "epochs": 300\n  },\n  "budget": {'));
    assert.ok(text.endsWith('}\n'));
    const reparsed = JSON.parse(text);
    assert.equal(computePlanHash(reparsed), plan.plan_sha256);
    assert.equal(computePlanHash(JSON.parse(JSON.stringify(reparsed))), plan.plan_sha256);
  });
});
