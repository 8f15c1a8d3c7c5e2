import assert from 'node:assert/strict';
import { diffPlans } from '../../compiler/plan/diff.js';
import { emitPlan } from '../../compiler/plan/emit.js';
import { withPlanHash } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import { DEIT_SMALL_SPEC, deitContext, META } from './contexts.js';

function edited(plan: Plan, edit: (p: Plan) => void): Plan {
  const copy = structuredClone(plan);
  edit(copy);
  return withPlanHash(copy);
}

describe('plan diff', () => {
  const base = emitPlan(deitContext(), META);

  it('says nothing for plans with the same content', () => {
    assert.deepEqual(diffPlans(base, structuredClone(base)), []);
  });

  it('tells a change of optimizer once, then the hyper-parameters both optimizers have', () => {
    const sgd = edited(base, (p) => {
      p.recipe.optimizer = { name: 'sgd', lr: 0.1, weight_decay: 1e-4, momentum: 0.9, nesterov: false };
      p.schedules.lr.base_lr = 0.1;
    });
    assert.deepEqual(diffPlans(base, sgd), ['optimizer: adamw → sgd', 'optimizer.lr 0.004 → 0.1', 'optimizer.weight_decay 0.05 → 0.0001']);
  });

  it('tells the architecture parameters of the same model', () => {
    const ctx = deitContext();
    ctx.spec = { ...DEIT_SMALL_SPEC, depth: 6 };
    assert.deepEqual(diffPlans(base, emitPlan(ctx, META)), ['model.spec.depth 12 → 6']);
  });

  it('tells schedules, evaluation and data in words', () => {
    const other = edited(base, (p) => {
      p.schedules.lr.warmup_fraction = 0.1;
      p.schedules.lr.shape = 'linear';
      p.dataset.path = '/scratch/imagenet';
    });
    assert.deepEqual(diffPlans(base, other), ['dataset.path /data/imagenet → /scratch/imagenet', 'lr schedule: cosine → linear', 'warm-up 20% → 10%']);
  });

  it('shows settings at full precision when their rounded forms agree', () => {
    const other = edited(base, (p) => (p.schedules.lr.warmup_fraction = 0.2000001));
    assert.deepEqual(diffPlans(base, other), ['warm-up 0.2 → 0.2000001']);
  });

  it('tells the source and the compiler that wrote the plan', () => {
    const other = edited(base, (p) => {
      p.compiler_version = '0.2.0';
      p.source.sha256 = 'b'.repeat(64);
    });
    assert.deepEqual(diffPlans(base, other), ['source sha256 aaaaaaaaaaaa… → bbbbbbbbbbbb…', 'compiler version 0.1.0 → 0.2.0']);
  });
});
