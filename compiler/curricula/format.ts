// How numbers of schedules and budgets are written in messages and tables, so the same
// quantity reads the same everywhere.

/** `1.50x` */
export function formatSpeedup(x: number): string {
  return `${x.toFixed(2)}x`;
}

/** A fraction as a percentage with up to `digits` decimals, trailing zeros dropped: `2%`, `12.5%`. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${trimZeros((fraction * 100).toFixed(digits))}%`;
}

/** A fraction as a percentage with exactly `digits` decimals, for table columns: `10.0%`. */
export function formatPercentFixed(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Epochs with up to two decimals: `200`, `108.89`. */
export function formatEpochs(epochs: number): string {
  return trimZeros(epochs.toFixed(2));
}

/** A whole count with thousands separators: `1,281,167`. */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  if (!Number.isSafeInteger(rounded)) return rounded.toExponential(3);
  const digits = String(Math.abs(rounded));
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += ',';
    grouped += digits[i];
  }
  return rounded < 0 ? `-${grouped}` : grouped;
}

/** Hours: two significant digits below 1, one decimal below 100, none above: `0.013`, `12.5`, `1,234`. */
export function formatHoursValue(hours: number): string {
  if (hours < 1) return significant(hours, 2);
  return hours < 100 ? trimZeros(hours.toFixed(1)) : formatCount(hours);
}

/** `12.5 h` */
export function formatHours(hours: number): string {
  return `${formatHoursValue(hours)} h`;
}

export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

const SI_PREFIXES = [
  { prefix: '', factor: 1 },
  { prefix: 'K', factor: 1e3 },
  { prefix: 'M', factor: 1e6 },
  { prefix: 'G', factor: 1e9 },
  { prefix: 'T', factor: 1e12 },
  { prefix: 'P', factor: 1e15 },
  { prefix: 'E', factor: 1e18 },
  { prefix: 'Z', factor: 1e21 },
  { prefix: 'Y', factor: 1e24 },
] as const;

export interface MacUnit {
  /** `GMACs`, `EMACs`, ... */
  label: string;
  factor: number;
}

/** The SI unit of MACs in which `value` reads between 1 and 1000. */
export function macUnitFor(value: number): MacUnit {
  let chosen: (typeof SI_PREFIXES)[number] = SI_PREFIXES[0];
  for (const p of SI_PREFIXES) if (Math.abs(value) >= p.factor) chosen = p;
  return { label: `${chosen.prefix}MACs`, factor: chosen.factor };
}

/** `3.54 EMACs` */
export function formatMacs(value: number): string {
  const unit = macUnitFor(value);
  return `${significant(value / unit.factor, 3)} ${unit.label}`;
}

/** A number with `digits` significant digits, without exponent notation for table-sized values. */
export function significant(value: number, digits: number): string {
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 12));
}

/** Pixels: `96px`, `13.71px` for a fractional request. */
export function formatPixels(px: number): string {
  return `${trimZeros(px.toFixed(2))}px`;
}
