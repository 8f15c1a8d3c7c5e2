// Numbers and durations as progress output and run listings print them.

/** `42s`, `4m05s`, `2h03m`; `--` when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A fraction in [0, 1] as a percentage with two decimals. */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? '--' : `${(fraction * 100).toFixed(2)}%`;
}

export function formatLoss(loss: number | null | undefined): string {
  return loss === null || loss === undefined ? '--' : loss.toFixed(4);
}

export function formatRate(imagesPerSecond: number): string {
  return imagesPerSecond.toFixed(1);
}

/** Learning rates span decades: `4.00e-4`. */
export function formatLr(lr: number): string {
  return lr.toExponential(2);
}
