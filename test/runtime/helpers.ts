// Plans for runtime tests, compiled from .eft text by the real compiler, over the committed
// Fashion-MNIST subset.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFile } from '../../compiler/plan/compile-file.js';
import type { Plan } from '../../plan/types.js';

/** The repository root (the folder holding package.json above this file, from source or from dist). */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the tests');
    dir = parent;
  }
  return dir;
}

export const FASHION_MNIST_SMALL = join(repositoryRoot(), 'data', 'fashion-mnist-small');

/** A recipe of every feature the loop has, on a tiny ConvNet; `extra` is appended to the file. */
export function tinyProgram(extra = ''): string {
  return `
experiment tiny_base {
  model    convnet(width: 4, stages: 2)
  dataset  fashion_mnist { path "${FASHION_MNIST_SMALL}"  images 5000  val_images 1000 }
  baseline { epochs 1ep }
  train {
    optimizer adamw(lr: 2e-3, weight_decay: 0.05)
    schedule  cosine(warmup: 10%)
    batch     32
    seed      3
    mixup 0.8  cutmix 1.0  label_smoothing 0.1  random_erasing 0.25
    ema 0.99  clip_grad 5.0
    eval_at_stage_resolution true
  }
}
experiment tiny_cur extends tiny_base {
  budget { speedup 1.5x within 50% }
  curriculum {
    stages 3
    resolution [12px, 20px, 28px]
    low_pass lanczos
    randaugment { m 0 -> 4  n 2  mstd 0.5 }
    replay { r [2, 1, 1]  k [4, 0, 0] }
  }
}
experiment short_base extends tiny_base {
  baseline { epochs 0.02ep }
  train { batch 16  mixup 0  cutmix 0  random_erasing 0  ema 0 }
}
experiment short_cur extends short_base {
  budget { speedup 1.5x within 50% }
  curriculum {
    stages 2
    resolution [16px, 28px]
    low_pass fft
    randaugment { m 0 -> 4  n 2  mstd 0.5 }
  }
}
${extra}
`;
}

/** Compiles .eft text into its plans, by experiment name. */
export async function compilePlans(text: string): Promise<Map<string, Plan>> {
  const dir = mkdtempSync(join(tmpdir(), 'eft-plans-'));
  const file = join(dir, 'experiments.eft');
  writeFileSync(file, text);
  const outcome = await compileFile(file, { root: dir, compilerVersion: '0.0.0-test' });
  if (outcome.kind !== 'compiled') throw new Error(`test program does not compile: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  return new Map(outcome.plans.map((p) => [p.experiment, p.plan]));
}
