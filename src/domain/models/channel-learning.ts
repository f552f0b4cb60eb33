// Learns which channel each person answers on: Thompson sampling over Beta beliefs whose priors come
// from the person's segment, so a new person starts from what works for people like them and moves
// away from it as fast as their own answers justify.

import type { Random } from './random.js';

/** Outcomes that show the person acted on a send: they count as a response. */
export type ResponseKind = 'reply' | 'click' | 'payment';

/**
 * What came back from one send, reported once per send (its strongest outcome). An `open` is NOT a
 * response: e-mail opens come from a tracking pixel that privacy proxies (Apple Mail Privacy
 * Protection, image caches) fire without anyone reading and that image-blocking clients never fire,
 * while SMS and push have no open signal at all, so counting opens would reward e-mail for a
 * measurement artefact rather than for the person's attention.
 */
export type SendOutcome = ResponseKind | 'open' | 'no-response';

/** One channel's belief about a person: Beta(alpha, beta) over the chance they respond to a send. */
export interface ChannelBelief {
  channel: string;
  alpha: number;
  beta: number;
  sends: number;
  responses: number;
}

/** Per-person learning state, plain JSON so the engine can keep it beside the person. */
export interface ChannelLearning {
  channels: ChannelBelief[];
}

/** How often the person's segment responds to each channel. */
export interface SegmentChannelRate {
  channel: string;
  responseRate: number;
}

export interface ChannelChoice {
  channel: string;
  /** The response chance drawn for every channel; the chosen one drew highest. */
  scores: Record<string, number>;
}

/**
 * Starts a person from their segment: α = 1 + k·rate, β = 1 + k·(1 − rate), so the prior carries the
 * segment's response rate with the weight of `priorStrength` (k) sends on top of a flat Beta(1, 1).
 * A small k lets a person's own few answers overrule the segment quickly.
 */
export function startChannelLearning(segmentRates: readonly SegmentChannelRate[], priorStrength = 4): ChannelLearning {
  if (segmentRates.length === 0) throw new Error('Channel learning needs at least one channel.');
  return {
    channels: segmentRates.map(({ channel, responseRate }) => {
      const rate = Math.min(1, Math.max(0, responseRate));
      return { channel, alpha: 1 + priorStrength * rate, beta: 1 + priorStrength * (1 - rate), sends: 0, responses: 0 };
    }),
  };
}

/** What people in general answer, before a person's own answers say more: e-mail a little above SMS. */
export const generalChannelRates: readonly SegmentChannelRate[] = [
  { channel: 'email', responseRate: 0.2 },
  { channel: 'sms', responseRate: 0.15 },
];

/** A person's learning from their sends so far (each answered or not), starting from `rates`. */
export function learnFromSends(
  sends: readonly { readonly channel: string; readonly responded: boolean }[],
  rates: readonly SegmentChannelRate[] = generalChannelRates,
): ChannelLearning {
  let learning = startChannelLearning(rates);
  for (const send of sends) {
    learning = recordSendOutcome(learning, send.channel, send.responded ? 'reply' : 'no-response');
  }
  return learning;
}

/** Whether an outcome counts as the person responding (see `SendOutcome` for why opens do not). */
export function isResponse(outcome: SendOutcome): boolean {
  switch (outcome) {
    case 'reply':
    case 'click':
    case 'payment':
      return true;
    case 'open':
    case 'no-response':
      return false;
    default:
      return assertNever(outcome);
  }
}

/** Updates the belief of the channel a send went out on, once its outcome is known. */
export function recordSendOutcome(state: ChannelLearning, channel: string, outcome: SendOutcome): ChannelLearning {
  if (!state.channels.some((belief) => belief.channel === channel)) {
    throw new Error(`Channel "${channel}" is not among this person's channels.`);
  }
  const responded = isResponse(outcome);
  return {
    channels: state.channels.map((belief) =>
      belief.channel !== channel
        ? belief
        : {
            ...belief,
            alpha: belief.alpha + (responded ? 1 : 0),
            beta: belief.beta + (responded ? 0 : 1),
            sends: belief.sends + 1,
            responses: belief.responses + (responded ? 1 : 0),
          },
    ),
  };
}

/**
 * Thompson sampling: draws a plausible response chance for every channel and picks the highest, so
 * channels are tried in proportion to the chance that they are the best one for this person.
 */
export function chooseChannel(state: ChannelLearning, random: Random): ChannelChoice {
  const scores: Record<string, number> = {};
  let best: { channel: string; score: number } | null = null;
  for (const belief of state.channels) {
    const score = random.beta(belief.alpha, belief.beta);
    scores[belief.channel] = score;
    if (best === null || score > best.score) best = { channel: belief.channel, score };
  }
  if (best === null) throw new Error('Channel learning needs at least one channel.');
  return { channel: best.channel, scores };
}

const expectedResponse = (belief: ChannelBelief): number => belief.alpha / (belief.alpha + belief.beta);

/** The channel with the highest expected response chance: what the learning currently believes. */
export function likeliestChannel(state: ChannelLearning): string {
  const best = state.channels.reduce<ChannelBelief | null>(
    (top, b) => (top === null || expectedResponse(b) > expectedResponse(top) ? b : top),
    null,
  );
  if (best === null) throw new Error('Channel learning needs at least one channel.');
  return best.channel;
}

/** All channels, likeliest to be answered first (ties keep the segment's order): for a send to fall back along. */
export function channelsByExpectedResponse(state: ChannelLearning): string[] {
  return state.channels
    .map((belief, order) => ({ belief, order }))
    .sort((a, b) => expectedResponse(b.belief) - expectedResponse(a.belief) || a.order - b.order)
    .map(({ belief }) => belief.channel);
}

/**
 * Expected cumulative regret of a sequence of choices against always using the truly best channel:
 * entry i is Σ (best rate − rate of choice) over the first i + 1 sends. For simulations, where the
 * true response rates are known.
 */
export function cumulativeRegret(trueRates: Readonly<Record<string, number>>, choices: readonly string[]): number[] {
  const best = Math.max(...Object.values(trueRates));
  let total = 0;
  return choices.map((channel) => {
    const rate = trueRates[channel];
    if (rate === undefined) throw new Error(`No true rate for channel "${channel}".`);
    total += best - rate;
    return total;
  });
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
