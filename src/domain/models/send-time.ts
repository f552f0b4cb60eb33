// Learns when each person tends to act: an hour-of-week profile (168 bins, in the person's own time
// zone) of their responses, smoothed toward their segment's profile and across neighbouring hours,
// from which the best hour and the next send instant follow. Pure: the caller supplies the time.

export const HOURS_PER_WEEK = 168;

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

const weekdays: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Response counts per local hour of the week, Monday 00:00–00:59 being hour 0. Records the hour the
 * person acted (replied, clicked, paid), not the hour we sent, so our own schedule biases it less.
 */
export interface ResponseHourProfile {
  responses: number[];
}

export interface SendTimeOptions {
  /** The segment's profile counts as this many responses spread over its hours (additive smoothing). */
  priorStrength: number;
  /** Weights for the same hour, then 1, 2, … hours either side, applied circularly around the week. */
  neighbourWeights: readonly number[];
}

export const defaultSendTimeOptions: SendTimeOptions = {
  priorStrength: 30,
  neighbourWeights: [0.5, 0.25],
};

export interface SendInstant {
  hourOfWeek: number;
  /** Hours from `now` until the send: 0 when now already falls inside the chosen hour. */
  waitHours: number;
}

/** The hour-of-week index of a local weekday and hour (0–23), for building and reading profiles. */
export function hourOfWeek(weekday: Weekday, hour: number): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`Hour must be 0–23, got ${hour}.`);
  return weekdays.indexOf(weekday) * 24 + hour;
}

/** A profile with no responses yet. */
export function emptyResponseHourProfile(): ResponseHourProfile {
  return { responses: new Array<number>(HOURS_PER_WEEK).fill(0) };
}

/** Adds one response at a local hour of the week. */
export function recordResponseHour(profile: ResponseHourProfile, hour: number): ResponseHourProfile {
  const index = wrapHour(Math.floor(hour));
  return { responses: profile.responses.map((count, h) => (h === index ? count + 1 : count)) };
}

/**
 * The person's chance of responding in each hour of the week: their own counts plus the segment's
 * shape weighted as `priorStrength` responses, then spread circularly to neighbouring hours so that
 * Tuesday 19:00 also lends weight to 18:00 and 20:00 (and Sunday 23:00 to Monday 00:00).
 */
export function responseHourScores(
  person: ResponseHourProfile,
  segment: ResponseHourProfile,
  options: SendTimeOptions = defaultSendTimeOptions,
): number[] {
  const segmentTotal = total(segment.responses);
  const segmentShare = (h: number): number =>
    segmentTotal > 0 ? (segment.responses[h] ?? 0) / segmentTotal : 1 / HOURS_PER_WEEK;
  const personTotal = total(person.responses);
  const smoothed = Array.from(
    { length: HOURS_PER_WEEK },
    (_, h) =>
      ((person.responses[h] ?? 0) + options.priorStrength * segmentShare(h)) / (personTotal + options.priorStrength),
  );
  return circularSmooth(smoothed, options.neighbourWeights);
}

/** The local hour of the week at which this person is likeliest to respond (earliest on a tie). */
export function bestSendHour(
  person: ResponseHourProfile,
  segment: ResponseHourProfile,
  options: SendTimeOptions = defaultSendTimeOptions,
): number {
  const scores = responseHourScores(person, segment, options);
  let best = 0;
  for (let h = 1; h < HOURS_PER_WEEK; h++) if (scores[h]! > scores[best]!) best = h;
  return best;
}

/**
 * When to send next, given `now` as a (possibly fractional) local hour of the week: the best-scoring
 * hour within the next `horizonHours` (a week by default), the soonest on a tie. A horizon of 24 asks
 * for "the best hour within the next day" when a message should not wait longer.
 */
export function nextSendInstant(
  person: ResponseHourProfile,
  segment: ResponseHourProfile,
  now: number,
  horizonHours: number = HOURS_PER_WEEK,
  options: SendTimeOptions = defaultSendTimeOptions,
): SendInstant {
  const scores = responseHourScores(person, segment, options);
  const start = Math.floor(now);
  const candidates = Math.max(1, Math.min(HOURS_PER_WEEK, Math.ceil(horizonHours)));
  let chosen: SendInstant = { hourOfWeek: wrapHour(start), waitHours: 0 };
  let chosenScore = scores[chosen.hourOfWeek]!;
  for (let offset = 1; offset < candidates; offset++) {
    const hour = wrapHour(start + offset);
    if (scores[hour]! > chosenScore) {
      chosen = { hourOfWeek: hour, waitHours: start + offset - now };
      chosenScore = scores[hour]!;
    }
  }
  return chosen;
}

function circularSmooth(values: readonly number[], weights: readonly number[]): number[] {
  const norm = (weights[0] ?? 0) + 2 * total(weights.slice(1));
  return values.map((_, h) => {
    let sum = 0;
    weights.forEach((weight, distance) => {
      sum += weight * values[wrapHour(h + distance)]!;
      if (distance > 0) sum += weight * values[wrapHour(h - distance)]!;
    });
    return norm > 0 ? sum / norm : values[h]!;
  });
}

function wrapHour(hour: number): number {
  return ((hour % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

function total(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}
