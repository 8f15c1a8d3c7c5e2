import { makeDiagnostic } from '../../../diagnostics/diagnostic.js';
import { findProfile, HARDWARE_PROFILES, suggestProfile } from '../../hardware.js';
import type { ExperimentRule } from '../rule.js';

/** EFT0313: a budget limit on a hardware profile that is not built in. */
export const rule: ExperimentRule = {
  kind: 'experiment',
  name: 'hardware-profile',
  codes: ['EFT0313'],
  check({ experiment }, report) {
    const seen = new Set<string>();
    for (const limit of experiment.budget.limits) {
      const profile = limit.hardware.profile;
      if (findProfile(profile.value)) continue;
      const key = `${profile.span.file}:${profile.span.offset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const suggestion = suggestProfile(profile.value);
      report(
        makeDiagnostic('EFT0313', 'error', `unknown hardware profile \`${profile.value}\``, {
          span: profile.span,
          label: 'not a built-in profile',
          help: [
            ...(suggestion ? [`did you mean \`${suggestion}\`?`] : []),
            `the profiles are ${HARDWARE_PROFILES.map((p) => `\`${p.name}\` (${p.peakTflops} TFLOP/s)`).join(', ')}`,
          ],
        }),
      );
    }
  },
};
