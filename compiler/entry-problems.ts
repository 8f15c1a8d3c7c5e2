// Every problem of one entry against its key's spec: the shape of the entry (value, block,
// comparator, modifiers) and the value itself. Rules pick the problems of their kind.
import type { EntryNode } from '../grammar/ast.js';
import type { KeySpec } from './schema.js';
import { checkValue, type ValueProblem } from './values.js';

function keyText(entry: EntryNode): string {
  return entry.key.parts.map((p) => p.name).join('.');
}

const computed = new WeakMap<EntryNode, WeakMap<KeySpec, ValueProblem[]>>();

/** Every problem of `entry`; computed once per entry, as several rules ask for it. */
export function entryProblems(entry: EntryNode, spec: KeySpec): ValueProblem[] {
  let bySpec = computed.get(entry);
  if (!bySpec) computed.set(entry, (bySpec = new WeakMap()));
  let problems = bySpec.get(spec);
  if (!problems) bySpec.set(spec, (problems = findProblems(entry, spec)));
  return problems;
}

function findProblems(entry: EntryNode, spec: KeySpec): ValueProblem[] {
  const key = keyText(entry);
  const problems: ValueProblem[] = [];
  if (entry.value) {
    if (!spec.value) {
      problems.push({ kind: 'kind', message: `\`${key}\` takes a block, not a value`, span: entry.value.span, label: 'unexpected value', help: [`write \`${key} { ... }\``] });
    } else {
      problems.push(...checkValue(entry.value, spec.value));
    }
  } else if (spec.value && !spec.valueOptional) {
    problems.push({ kind: 'kind', message: `\`${key}\` needs a value`, span: entry.key.span, label: 'value missing', help: [spec.doc] });
  }
  if (entry.block && !spec.block && !(entry.key.parts.length === 1 && entry.key.parts[0].name === 'vary')) {
    problems.push({ kind: 'kind', message: `\`${key}\` does not take a block`, span: entry.block.span, label: 'unexpected block', help: [] });
  }
  if (entry.comparator && !(spec.comparators ?? []).includes(entry.comparator.op)) {
    const allowed = spec.comparators ?? [];
    problems.push({
      kind: 'kind',
      message: `\`${key}\` does not take the comparison \`${entry.comparator.op}\``,
      span: entry.comparator.span,
      label: 'unexpected comparison',
      help: allowed.length > 0 ? [`write \`${key} ${allowed[0]} ...\``] : [`write \`${key} VALUE\``],
    });
  }
  const seen = new Set<string>();
  for (const modifier of entry.modifiers) {
    const modifierSpec = spec.modifiers?.[modifier.keyword];
    if (!modifierSpec) {
      problems.push({ kind: 'kind', message: `\`${modifier.keyword}\` does not apply to \`${key}\``, span: modifier.span, label: 'unexpected qualifier', help: [] });
      continue;
    }
    if (seen.has(modifier.keyword)) {
      problems.push({ kind: 'kind', message: `\`${modifier.keyword}\` is given twice`, span: modifier.span, label: 'repeated', help: [] });
      continue;
    }
    seen.add(modifier.keyword);
    problems.push(...checkValue(modifier.value, modifierSpec));
  }
  return problems;
}
