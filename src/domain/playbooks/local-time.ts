// Local wall-clock time in a person's IANA time zone, through Intl (no I/O, no clock): what time it is
// there at an instant, and which instant a local time falls on, correct across daylight-saving changes.

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the text names a time zone this runtime knows (e.g. Europe/Berlin), so callers can fall back. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time in the zone at the instant. */
export function localDateTime(instant: Date, zone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** How far the zone's wall clock is ahead of UTC at the instant, in milliseconds. */
function offsetAt(epochMs: number, zone: string): number {
  const local = localDateTime(new Date(epochMs), zone);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - wholeSeconds;
}

/**
 * The instant a local date and time falls on in the zone. As Temporal's "compatible" rule: a time
 * that happens twice (clocks going back) is its first occurrence; a time skipped by clocks going
 * forward is moved forward by the size of the gap (02:30 on a spring-forward night is 03:30).
 */
export function instantOfLocal(local: Omit<LocalDateTime, 'second'> & { second?: number }, zone: string): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  const offsetBefore = offsetAt(asUtc - dayMs, zone);
  const offsetAfter = offsetAt(asUtc + dayMs, zone);
  const consistent = [asUtc - offsetBefore, asUtc - offsetAfter]
    .filter((candidate) => offsetAt(candidate, zone) === asUtc - candidate)
    .sort((a, b) => a - b);
  return new Date(consistent[0] ?? asUtc - offsetBefore);
}

/**
 * The first instant at or after `from` when the zone's clock shows hour:minute (a wait until 09:00, the
 * end of quiet hours).
 */
export function nextLocalTime(from: Date, zone: string, hour: number, minute: number): Date {
  const today = localDateTime(from, zone);
  for (let days = 0; days <= 2; days += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const candidate = instantOfLocal(
      { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute },
      zone,
    );
    if (candidate.getTime() >= from.getTime()) return candidate;
  }
  // Unreachable: two days later the time has certainly come round.
  throw new Error(`No ${hour}:${minute} in ${zone} within two days of ${from.toISOString()}`);
}
