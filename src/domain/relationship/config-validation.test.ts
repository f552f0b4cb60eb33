// Checks that tend.config.yaml is merged over the defaults and that every wrong value is reported
// with its YAML path and what is allowed.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TendError } from '../errors.js';
import { validateTendConfig } from './config-validation.js';
import { defaultTendConfig } from './tend-config.js';

function problemsOf(raw: unknown): { field: string; message: string }[] {
  try {
    validateTendConfig(raw, 'tend.config.yaml');
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    expect(error.code).toBe('invalid_configuration');
    return error.problems.map(({ field, message }) => ({ field, message }));
  }
  throw new Error('expected the configuration to be refused');
}

describe('validateTendConfig: accepted files', () => {
  it('gives the defaults when there is no file or an empty one', () => {
    expect(validateTendConfig(undefined, 'none')).toEqual(defaultTendConfig);
    expect(validateTendConfig(null, 'none')).toEqual(defaultTendConfig);
    expect(validateTendConfig(parse('signals:\n'), 'tend.config.yaml')).toEqual(defaultTendConfig);
  });

  it('merges a partial file over the defaults, field by field', () => {
    const config = validateTendConfig(
      parse(`
cadence:
  B:
    everyDays: 21
signals:
  highEffort:
    withinDays: 5
health:
  weights:
    voice: 0
`),
      'tend.config.yaml',
    );
    expect(config.cadence.B).toEqual({ everyDays: 21, objective: 'value share', methods: ['phone', 'video'] });
    expect(config.cadence.A).toEqual(defaultTendConfig.cadence.A);
    expect(config.signals.highEffort).toEqual({ contacts: 2, withinDays: 5, longWaitHours: 48 });
    expect(config.health.weights).toEqual({ ...defaultTendConfig.health.weights, voice: 0 });
  });

  it('accepts tiers of its own with their cadences, dropping the default A/B/C cadences', () => {
    const config = validateTendConfig(
      parse(`
value:
  basis: revenue
  tiers:
    - { name: Gold, upToShare: 0.6 }
    - { name: Silver, upToShare: 1 }
cadence:
  Gold: { everyDays: 7, objective: review, methods: [meeting, phone] }
  Silver: { everyDays: 60 }
`),
      'tend.config.yaml',
    );
    expect(config.value.basis).toBe('revenue');
    expect(Object.keys(config.cadence)).toEqual(['Gold', 'Silver']);
    expect(config.cadence.Silver).toEqual({ everyDays: 60, objective: 'check-in', methods: ['phone', 'email'] });
  });
});

describe('validateTendConfig: refused files', () => {
  it('names the path and what is allowed for a wrong cadence and an unknown method', () => {
    expect(problemsOf(parse('cadence:\n  B:\n    everyDays: monthly\n    methods: [phone, fax]\n'))).toEqual([
      { field: 'cadence.B.everyDays', message: 'must be a whole number of days from 1 to 3650, got "monthly"' },
      {
        field: 'cadence.B.methods[1]',
        message: 'must be one of phone, video, meeting, email, sms, chat, letter, got "fax"',
      },
    ]);
  });

  it('refuses unknown top-level and nested keys, naming the allowed ones', () => {
    expect(problemsOf({ cadences: {}, signals: { asyncOnlyAfterDay: 30 } })).toEqual([
      {
        field: 'cadences',
        message: expect.stringMatching(
          /^is not a setting here; allowed: value, cadence, signals, health, today, /,
        ) as unknown as string,
      },
      {
        field: 'signals.asyncOnlyAfterDay',
        message: expect.stringMatching(
          /^is not a setting here; allowed: asyncOnlyAfterDays, neverSpokenAfterDays, /,
        ) as unknown as string,
      },
    ]);
  });

  it('requires tier shares to increase strictly and to end at 1', () => {
    const problems = problemsOf({
      value: {
        tiers: [
          { name: 'A', upToShare: 0.5 },
          { name: 'B', upToShare: 0.5 },
          { name: 'C', upToShare: 0.9 },
        ],
      },
    });
    expect(problems).toEqual([
      { field: 'value.tiers[1].upToShare', message: "must be greater than the tier before's 0.5, got 0.5" },
      { field: 'value.tiers[2].upToShare', message: 'must be 1 for the last tier, which holds the rest, got 0.9' },
    ]);
  });

  it('refuses a cadence for a tier that does not exist, and a last tier without a cadence', () => {
    expect(
      problemsOf({ value: { tiers: [{ name: 'Gold', upToShare: 1 }] }, cadence: { Platinum: { everyDays: 7 } } }),
    ).toEqual([
      { field: 'cadence.Platinum', message: 'is not a tier; tiers are Gold' },
      { field: 'cadence.Gold', message: "is required: the last tier's cadence also applies to tiers without one" },
    ]);
  });

  it('refuses negative weights and weights that add up to nothing', () => {
    expect(problemsOf({ health: { weights: { money: -1 } } })).toEqual([
      { field: 'health.weights.money', message: 'must be a weight of 0 or more, got -1' },
    ]);
    const zero = { engagement: 0, relationship: 0, voice: 0, effort: 0, money: 0, churnRisk: 0, promises: 0 };
    expect(problemsOf({ health: { weights: zero } })).toEqual([
      { field: 'health.weights', message: 'must have at least one weight above 0, got all 0' },
    ]);
  });

  it('takes the pause after a customer writes in hours from 0 to 720, and names its path otherwise', () => {
    const config = validateTendConfig(parse('conversations: { pauseAutomationHours: 24 }'), 'tend.config.yaml');
    expect(config.conversations).toEqual({ pauseAutomationHours: 24 });
    expect(problemsOf({ conversations: { pauseAutomationHours: -1 } })).toEqual([
      {
        field: 'conversations.pauseAutomationHours',
        message:
          'must be a whole number of hours (0: automated messages do not pause after a customer writes) ' +
          'from 0 to 720, got -1',
      },
    ]);
    expect(problemsOf({ conversations: { pauseHours: 72 } })[0]).toEqual({
      field: 'conversations.pauseHours',
      message: 'is not a setting here; allowed: pauseAutomationHours',
    });
  });

  it('reports every problem at once, with the file name in the message', () => {
    try {
      validateTendConfig(
        { today: { size: 0 }, signals: { atRisk: { churnProbability: 1.5 } }, value: 'big' },
        'tend.config.yaml',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TendError);
      expect((error as TendError).message).toBe(
        'tend.config.yaml has 3 problems: value must be a mapping of settings, got "big"; ' +
          'signals.atRisk.churnProbability must be a probability from 0 to 1, got 1.5; ' +
          'today.size must be a whole number of accounts from 1 to 100, got 0',
      );
    }
  });

  it('takes the idle days of a session from people.sessionIdleDays (1 to 365, default 14)', () => {
    expect(defaultTendConfig.people.sessionIdleDays).toBe(14);
    const config = validateTendConfig({ people: { sessionIdleDays: 30 } }, 'tend.config.yaml');
    expect(config.people).toEqual({ sessionIdleDays: 30 });
    expect(problemsOf({ people: { sessionIdleDays: 0 } })).toEqual([
      { field: 'people.sessionIdleDays', message: expect.stringMatching(/from 1 to 365/) as unknown as string },
    ]);
  });

  it('refuses a file that is not a mapping', () => {
    expect(problemsOf(['a', 'b'])).toEqual([{ field: '', message: 'must be a mapping of settings, got a list' }]);
  });
});
