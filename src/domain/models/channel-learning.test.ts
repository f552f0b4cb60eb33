// Checks channel learning: segment priors, which outcomes count, Thompson choices and seeded regret.
import { describe, expect, it } from 'vitest';
import {
  channelsByExpectedResponse,
  chooseChannel,
  cumulativeRegret,
  isResponse,
  learnFromSends,
  likeliestChannel,
  recordSendOutcome,
  startChannelLearning,
  type SendOutcome,
} from './channel-learning.js';
import { seededRandom } from './random.js';
import { channelRegret, smsChosenRate, smsLearnedRate } from './reproductions/simulation-checks.js';

const segment = [
  { channel: 'email', responseRate: 0.12 },
  { channel: 'sms', responseRate: 0.1 },
];

describe('startChannelLearning', () => {
  it('shrinks the segment rate to k pseudo-sends on a flat prior', () => {
    const state = startChannelLearning(segment, 10);
    expect(state.channels[0]).toMatchObject({ channel: 'email', sends: 0, responses: 0 });
    expect(state.channels[0]!.alpha).toBeCloseTo(2.2, 12);
    expect(state.channels[0]!.beta).toBeCloseTo(9.8, 12);
    expect(likeliestChannel(state)).toBe('email');
  });

  it('refuses an empty channel list', () => {
    expect(() => startChannelLearning([])).toThrow(/at least one channel/);
  });
});

describe('recordSendOutcome', () => {
  it('counts replies, clicks and payments as responses, and opens as silence', () => {
    const outcomes: SendOutcome[] = ['reply', 'click', 'payment', 'open', 'no-response'];
    expect(outcomes.map(isResponse)).toEqual([true, true, true, false, false]);
    let state = startChannelLearning(segment, 0);
    state = recordSendOutcome(state, 'email', 'open');
    state = recordSendOutcome(state, 'email', 'open');
    state = recordSendOutcome(state, 'sms', 'click');
    expect(state.channels).toEqual([
      { channel: 'email', alpha: 1, beta: 3, sends: 2, responses: 0 },
      { channel: 'sms', alpha: 2, beta: 1, sends: 1, responses: 1 },
    ]);
    expect(likeliestChannel(state)).toBe('sms');
  });

  it('rejects a channel the person does not have', () => {
    expect(() => recordSendOutcome(startChannelLearning(segment), 'push', 'reply')).toThrow(/push/);
  });
});

describe('chooseChannel', () => {
  it('returns a drawn score per channel and picks the highest', () => {
    const state = startChannelLearning(segment);
    const random = seededRandom(11);
    for (let i = 0; i < 50; i++) {
      const { channel, scores } = chooseChannel(state, random);
      expect(Object.keys(scores).sort()).toEqual(['email', 'sms']);
      expect(scores[channel]).toBe(Math.max(scores.email!, scores.sms!));
    }
  });

  it('tries channels in proportion to their chance of being best', () => {
    // Beta(2, 1) against Beta(1, 2): P(first draw > second) = 5/6.
    const state = {
      channels: [
        { channel: 'email', alpha: 2, beta: 1, sends: 0, responses: 0 },
        { channel: 'sms', alpha: 1, beta: 2, sends: 0, responses: 0 },
      ],
    };
    const random = seededRandom(12);
    let email = 0;
    for (let i = 0; i < 20_000; i++) if (chooseChannel(state, random).channel === 'email') email++;
    expect(email / 20_000).toBeCloseTo(5 / 6, 2);
  });
});

describe('cumulativeRegret', () => {
  it('adds up the gap to the best channel send by send', () => {
    expect(cumulativeRegret({ email: 0.1, sms: 0.5 }, ['email', 'sms', 'email'])).toEqual([0.4, 0.4, 0.8]);
    expect(() => cumulativeRegret({ email: 0.1 }, ['fax'])).toThrow(/fax/);
  });
});

describe('a person who ignores e-mail (0.02) and answers SMS (0.5), segment leaning to e-mail', {
  timeout: 30_000,
}, () => {
  it('believes SMS is best after 5 sends in ≥ 90 % of 1,000 runs', () => {
    expect(smsLearnedRate(21, 1000, 5)).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps exploring less as evidence grows: Thompson picks SMS more often on send 20 than on send 6', () => {
    const early = smsChosenRate(22, 1000, 6);
    const late = smsChosenRate(23, 1000, 20);
    expect(early).toBeGreaterThan(0.6);
    expect(late).toBeGreaterThanOrEqual(0.85);
    expect(late).toBeGreaterThan(early);
  });

  it('has sublinear regret: under 4 after 50 sends (always e-mail: 24), mostly spent in the first half', () => {
    const regret = channelRegret(24, 1000, 50);
    expect(regret.after50).toBeLessThan(4);
    expect(regret.secondHalfShare).toBeLessThan(0.5);
  });
});

describe("learning from a person's sends", () => {
  it("starts from what people in general answer, and follows the person's own answers", () => {
    expect(channelsByExpectedResponse(learnFromSends([]))).toEqual(['email', 'sms']);
    const answersTexts = [
      { channel: 'email', responded: false },
      { channel: 'email', responded: false },
      { channel: 'sms', responded: true },
    ];
    const learning = learnFromSends(answersTexts);
    expect(channelsByExpectedResponse(learning)).toEqual(['sms', 'email']);
    expect(learning.channels.find((belief) => belief.channel === 'sms')).toMatchObject({ sends: 1, responses: 1 });
  });
});
