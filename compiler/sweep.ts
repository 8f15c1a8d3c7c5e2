// A sweep is an experiment with axes: `vary { key [v1, v2]  other [a, b] }` gives one
// experiment per point of the cartesian product, in the order the axes and values are written.
import type { BlockNode, EntryNode, Expr } from '../grammar/ast.js';
import { exprKey, mergeBlocks } from './merge.js';

export interface SweepPoint {
  /** `seeds[train.seed=0,model=deit_tiny]` */
  name: string;
  point: Record<string, string | number>;
  body: BlockNode;
}

function pointValue(expr: Expr): string | number {
  if (expr.kind === 'Number') return expr.unit ? expr.raw : expr.value;
  if (expr.kind === 'Identifier') return expr.name;
  if (expr.kind === 'String') return expr.value;
  return exprKey(expr);
}

export function expandSweep(sweepName: string, body: BlockNode): SweepPoint[] {
  const vary = body.entries.find((e) => e.key.parts.length === 1 && e.key.parts[0].name === 'vary');
  const base: BlockNode = { ...body, entries: body.entries.filter((e) => e !== vary) };
  const axes = (vary?.block?.entries ?? []).filter((axis): axis is EntryNode & { value: Expr & { kind: 'List' } } => axis.value?.kind === 'List');
  let points: { point: Record<string, string | number>; overrides: EntryNode[] }[] = [{ point: {}, overrides: [] }];
  for (const axis of axes) {
    const key = axis.key.parts.map((p) => p.name).join('.');
    points = points.flatMap((p) =>
      axis.value.items.map((item) => ({
        point: { ...p.point, [key]: pointValue(item) },
        overrides: [...p.overrides, { kind: 'Entry' as const, key: axis.key, value: item, modifiers: [], span: item.span }],
      })),
    );
  }
  return points.map(({ point, overrides }) => ({
    name: `${sweepName}[${Object.entries(point).map(([k, v]) => `${k}=${v}`).join(',')}]`,
    point,
    body: mergeBlocks(base, { kind: 'Block', entries: overrides, span: body.span }),
  }));
}
