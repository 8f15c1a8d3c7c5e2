import assert from 'node:assert/strict';
import { emitPlan } from '../../compiler/plan/emit.js';
import { lookupModel, MODEL_NAMES } from '../../compiler/models/catalogue.js';
import { deitContext, META } from './contexts.js';

// plan/schema.json describes ModelSpec (compiler/models/spec.ts) family by family; every model
// of the catalogue must travel inside a plan unchanged.
describe('model specs inside plans', () => {
  it('covers the catalogue', () => assert.ok(MODEL_NAMES.length >= 10));

  for (const name of MODEL_NAMES) {
    it(`carries ${name}`, () => {
      const spec = lookupModel(name, { inChannels: 3, numClasses: 1000, resolution: 224 })!;
      const ctx = { ...deitContext(), spec };
      const plan = emitPlan(ctx, META);
      assert.deepEqual(plan.model.spec, JSON.parse(JSON.stringify(spec)));
      assert.equal(plan.model.name, name);
    });
  }
});
