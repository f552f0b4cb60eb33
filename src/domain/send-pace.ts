// The pace a provider allows: at most so many sends a second, spaced evenly, so that its limit holds in
// every second and not just on average; and a pause it asks for (a 429 with Retry-After) holds every send
// of that channel, not just the one refused. Pure: times are milliseconds handed in by the caller.

/** A channel's pace: when the next send may start. */
export interface PaceState {
  /** The earliest instant (ms) the next send may start. */
  readonly nextFreeAt: number;
}

export const freshPace: PaceState = { nextFreeAt: Number.NEGATIVE_INFINITY };

/**
 * Takes the next slot: when this send may start (now, or later), and the pace after it. With no limit
 * (null) every send starts now, unless the provider asked for a pause.
 */
export function takeSendSlot(
  state: PaceState,
  now: number,
  perSecond: number | null,
): { readonly startAt: number; readonly state: PaceState } {
  const startAt = Math.max(now, state.nextFreeAt);
  const spacing = perSecond === null ? 0 : 1000 / perSecond;
  return { startAt, state: { nextFreeAt: perSecond === null ? state.nextFreeAt : startAt + spacing } };
}

/** The shortest and longest pause kept to: `Retry-After: 0` is no licence to hammer, a day no reason to stall. */
export const pauseBounds = { least: 1_000, most: 3_600_000 } as const;

/** The provider asked to wait `milliseconds` from `now`: no send of the channel starts before then. */
export function pauseSends(state: PaceState, now: number, milliseconds: number): PaceState {
  const pause = Math.min(pauseBounds.most, Math.max(pauseBounds.least, milliseconds));
  return { nextFreeAt: Math.max(state.nextFreeAt, now + pause) };
}

/** A Retry-After header as milliseconds (seconds, or an HTTP date), or null when absent or unreadable. */
export function retryAfterMilliseconds(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const given = header.trim();
  if (/^\d+(\.\d+)?$/.test(given)) return Math.round(Number(given) * 1000);
  const at = Date.parse(given);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
