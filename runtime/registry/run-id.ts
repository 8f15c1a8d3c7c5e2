/**
 * Run ids: `YYYYMMDD-HHMMSS-xxxx`, the UTC start time to the second and four hex digits.
 * They sort by start time as plain strings, are short enough to type, and the suffix keeps
 * two runs started in the same second apart (the registry retries on a clash).
 */

const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `random` returns a number in [0, 1), as Math.random does. */
export function makeRunId(timeMs: number, random: () => number): string {
  const t = new Date(timeMs);
  const date = `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1, 2)}${pad(t.getUTCDate(), 2)}`;
  const time = `${pad(t.getUTCHours(), 2)}${pad(t.getUTCMinutes(), 2)}${pad(t.getUTCSeconds(), 2)}`;
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${date}-${time}-${suffix}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}
