/** Soft targets: one-hot labels with label smoothing, as timm's one_hot / mixup_target. */

/** count × classes targets: 1 − s + s/K on the label, s/K elsewhere. */
export function smoothOneHot(labels: Int32Array, classes: number, smoothing = 0): Float32Array {
  if (!(smoothing >= 0 && smoothing < 1)) throw new RangeError(`label smoothing must lie in [0, 1), got ${smoothing}`);
  const off = smoothing / classes;
  const on = 1 - smoothing + off;
  const out = new Float32Array(labels.length * classes).fill(off);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= classes) throw new RangeError(`label ${label} of item ${i} is outside 0 … ${classes - 1}`);
    out[i * classes + label] = on;
  }
  return out;
}
