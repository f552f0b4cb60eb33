// ISO 8601 durations (P31D, PT6H, P1W, P1DT2H30M) in milliseconds. Years and months are not fixed
// lengths, so they are refused rather than guessed.

const durationPattern =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a duration, or null when the text is not a supported ISO 8601 duration. */
export function parseDuration(text: string): number | null {
  const match = durationPattern.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const total =
    (((weeks ?? 0) * 7 + (days ?? 0)) * 24 * 60 * 60 + (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) *
    1000;
  return total > 0 ? total : null;
}
