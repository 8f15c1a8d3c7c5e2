// Finds the rules: every module in rules/program/ and rules/experiment/ that exports `rule`.
import { readdirSync } from 'node:fs';
import type { ExperimentRule, ProgramRule } from './rule.js';

async function loadFolder<T>(folder: string): Promise<T[]> {
  const url = new URL(`./${folder}/`, import.meta.url);
  const files = readdirSync(url)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const modules = await Promise.all(files.map((f) => import(new URL(f, url).href) as Promise<{ rule?: T }>));
  return modules.map((m, i) => {
    if (!m.rule) throw new Error(`rule module ${folder}/${files[i]} exports no \`rule\``);
    return m.rule;
  });
}

let cached: Promise<{ program: ProgramRule[]; experiment: ExperimentRule[] }> | undefined;

export function loadRules(): Promise<{ program: ProgramRule[]; experiment: ExperimentRule[] }> {
  cached ??= Promise.all([loadFolder<ProgramRule>('program'), loadFolder<ExperimentRule>('experiment')]).then(([program, experiment]) => ({ program, experiment }));
  return cached;
}
