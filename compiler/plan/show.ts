// `eft plan show`: a plan as a person reads it: what it was compiled from, the model, data and
// recipe in one line each, then the stage table (the one `eft explain` prints) and the totals.
import type { Plan, PlanOptimizer } from '../../plan/types.js';
import { describeSpec } from '../models/spec.js';
import { formatCount, formatEpochs, formatPercent, formatSpeedup } from '../curricula/format.js';
import { renderStageTable, renderTotalRows, runTotalRows, stageRowFromPlan } from '../stage-table.js';

function optimizerText(o: PlanOptimizer): string {
  const args = o.name === 'adamw' ? `lr ${o.lr}, weight decay ${o.weight_decay}, betas ${o.beta1}/${o.beta2}, eps ${o.eps}` : `lr ${o.lr}, weight decay ${o.weight_decay}, momentum ${o.momentum}${o.nesterov ? ', nesterov' : ''}`;
  return `${o.name} (${args})`;
}

function cropText(r: Plan['recipe']): string {
  const crop = r.crop.kind === 'none' ? 'none' : `random-resized (area ${formatPercent(r.crop.scale_fraction[0])} .. ${formatPercent(r.crop.scale_fraction[1])}, aspect ratio ${+r.crop.aspect_ratio[0].toFixed(3)} .. ${+r.crop.aspect_ratio[1].toFixed(3)}, ${r.crop.interpolation})`;
  return `crop ${crop}, horizontal flip ${onOff(r.hflip_probability, formatPercent(r.hflip_probability))}`;
}

function onOff(value: number, text: string): string {
  return value === 0 ? 'off' : text;
}

export function renderPlanShow(plan: Plan, file: string): string {
  const r = plan.recipe;
  const d = plan.dataset;
  const lr = plan.schedules.lr;
  const sweep = plan.experiment.sweep ? ` (sweep ${plan.experiment.sweep.name}: ${plan.experiment.sweep.point.map((p) => `${p.axis}=${p.value}`).join(', ')})` : '';
  const budget = [
    plan.budget.speedup !== null ? `speedup ${formatSpeedup(plan.budget.speedup)} within ${formatPercent(plan.budget.speedup_tolerance_fraction)}` : '',
    plan.budget.equivalent_epochs !== null ? `${formatEpochs(plan.budget.equivalent_epochs)} equivalent epochs` : '',
    ...plan.budget.limits.map((l) => `${l.kind.replace('_', ' ')} ≤ ${l.max_hours} h on ${l.hardware.devices}× ${l.hardware.profile} at ${formatPercent(l.hardware.utilisation_fraction)}`),
  ].filter((x) => x !== '');
  const lines = [
    `plan ${plan.experiment.name}${sweep}: ${file}`,
    `  compiled by eft ${plan.compiler_version} from ${plan.source.file} (sha256 ${plan.source.sha256.slice(0, 12)}); plan sha256 ${plan.plan_sha256.slice(0, 12)}`,
    `  model       ${describeSpec(plan.model.spec)}`,
    `  dataset     ${d.name} (${d.format}, ${d.path}): ${formatCount(d.train_images)} training images at ${d.resolution_px}px, ${d.channels} channel${d.channels === 1 ? '' : 's'}, ${d.classes} classes`,
    `  baseline    ${plan.baseline.epochs} epochs at ${d.resolution_px}px`,
    `  curriculum  ${plan.curriculum.name} (stages declared on the ${plan.curriculum.clock} clock)`,
    ...(budget.length > 0 ? [`  budget      ${budget.join('; ')}`] : []),
    `  optimizer   ${optimizerText(r.optimizer)}, batch ${r.batch_size}, seed ${r.seed}`,
    `  lr          ${lr.shape} ${lr.base_lr} → ${lr.min_lr}, warm-up ${formatPercent(lr.warmup_fraction)} of compute from ${lr.warmup_start_lr}`,
    `  augment     ${cropText(r)}; RandAugment per stage below`,
    `  regularise  mixup ${onOff(r.mixup_alpha, String(r.mixup_alpha))}, cutmix ${onOff(r.cutmix_alpha, String(r.cutmix_alpha))}, label smoothing ${r.label_smoothing}, random erasing ${r.random_erasing_probability}, drop path ${r.drop_path_rate}, EMA ${onOff(r.ema_decay, String(r.ema_decay))}, clip grad ${onOff(r.clip_grad_norm, String(r.clip_grad_norm))}`,
    `  evaluation  at ${plan.evaluation.resolution_px}px${plan.evaluation.at_stage_resolution ? ', and at the stage resolution during low-resolution stages' : ''}, ${formatCount(d.val_images)} images`,
    '',
    ...renderStageTable(plan.stages.map(stageRowFromPlan), plan.totals.compute_macs),
    '',
    ...renderTotalRows(
      runTotalRows({
        compute: plan.totals.compute_macs,
        baselineCompute: plan.totals.baseline_compute_macs,
        baselineEpochs: plan.baseline.epochs,
        fullResolution: d.resolution_px,
        speedup: plan.totals.speedup,
        speedupPixelProxy: plan.totals.speedup_pixel_proxy,
        equivalentEpochs: plan.totals.equivalent_epochs,
        images: plan.totals.images,
        steps: plan.totals.steps,
      }),
    ),
  ];
  return lines.join('\n') + '\n';
}
