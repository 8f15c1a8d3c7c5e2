// RandAugment settings must be in range once every default and override is applied: the
// magnitude m on timm's 0..10 scale, a whole number n ≥ 0 of ops, and mstd ≥ 0.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../grammar/ast.js';
import { trimZeros } from './format.js';
import type { PlannedStage } from './plan-types.js';

interface Check {
  field: 'm' | 'n' | 'mstd';
  bad(v: number): boolean;
  rule: string;
  help: string;
}

const CHECKS: readonly Check[] = [
  { field: 'm', bad: (v) => !(v >= 0 && v <= 10), rule: 'must be within 0 .. 10 (timm scale)', help: 'EfficientTrain++ ramps m from 0 to 9: `randaugment { m 0 -> 9 }`' },
  { field: 'n', bad: (v) => !(v >= 0 && Number.isInteger(v)), rule: 'must be a whole number, 0 or more', help: 'the official recipe applies 2 ops per image: `randaugment { n 2 }`' },
  { field: 'mstd', bad: (v) => !(v >= 0 && Number.isFinite(v)), rule: 'must be 0 or more', help: 'the official recipe uses `randaugment { mstd 0.5 }`' },
];

const NAMES = { m: 'magnitude m', n: 'op count n', mstd: 'magnitude noise mstd' } as const;

/** EFT0306: one diagnostic per setting and place it was written, naming the stages it makes wrong. */
export function checkRandAugment(stages: readonly PlannedStage[], report: (d: Diagnostic) => void): void {
  for (const check of CHECKS) {
    const groups = new Map<string, { span: Span; stages: PlannedStage[] }>();
    for (const s of stages) {
      if (!check.bad(s.randaugment[check.field])) continue;
      const span = s.origins[check.field] ?? s.span;
      const key = `${span.file}:${span.offset}:${span.length}`;
      const group = groups.get(key) ?? { span, stages: [] };
      group.stages.push(s);
      groups.set(key, group);
    }
    for (const { span, stages: bad } of groups.values()) {
      const values = [...new Set(bad.map((s) => trimZeros(s.randaugment[check.field].toFixed(3))))].join(', ');
      const where = bad.length === 1 ? `stage ${bad[0].index}` : `stages ${bad.map((s) => s.index).join(', ')}`;
      report(
        makeDiagnostic('EFT0306', 'error', `RandAugment ${NAMES[check.field]} is ${values} in ${where}, but it ${check.rule}`, {
          span,
          label: 'out of range',
          help: [check.help],
        }),
      );
    }
  }
}
