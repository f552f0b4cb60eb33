// Scenario checks of the promise signals (promise-broken, promise-due) and the promises they read.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { EventFact } from '../event-facts.js';
import { healthScore } from '../health-score.js';
import {
  accountPromises,
  promiseDueAt,
  promiseEventProblems,
  promiseStanding,
  promiseTalkingPoint,
  promiseWords,
} from '../promises.js';
import type { SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

const fact = (name: string, at: string, properties: Record<string, unknown>): EventFact => ({
  name,
  at: new Date(at),
  contactId: null,
  properties,
});

const made = fact('Promise Made', '2026-01-10T09:00:00Z', {
  promiseId: 'sso',
  title: 'Single sign-on',
  dueAt: '2026-03-31',
  madeBy: 'sam@example.com',
  owner: 'engineering',
});
const export_ = fact('Promise Made', '2026-01-10T09:05:00Z', {
  promiseId: 'export',
  title: 'Excel export',
  dueAt: '2026-02-15',
  madeBy: 'sam@example.com',
  owner: 'Rita@Example.com',
});

function signalsAt(events: readonly EventFact[], now: string, kind: SignalKind) {
  const snapshot = snapshotOf({ promises: accountPromises(events) });
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('promises', () => {
  it('reads each promise with its history; a date is due by the end of that day', () => {
    const moved = fact('Promise Changed', '2026-02-01T00:00:00Z', { promiseId: 'sso', dueAt: '2026-04-30' });
    const kept = fact('Promise Kept', '2026-02-14T00:00:00Z', { promiseId: 'export', recordedBy: 'rita@example.com' });
    const resent = { ...made, at: new Date('2026-01-20T00:00:00Z') };
    const [sso, excel] = accountPromises([kept, moved, made, resent, export_]);
    expect(sso).toMatchObject({ promiseId: 'sso', owner: 'engineering', status: 'open' });
    expect(sso?.dueAt).toEqual(new Date('2026-05-01T00:00:00Z'));
    expect(sso?.history.map((entry) => [entry.event, entry.note])).toEqual([
      ['made', null],
      ['changed', 'due 2026-03-31 → 2026-04-30'],
    ]);
    expect(excel).toMatchObject({ status: 'kept', owner: 'rita@example.com' });
    expect(promiseStanding(excel!, new Date('2026-03-01T00:00:00Z'), 7)).toBe('kept');
  });

  it('reads events of one instant in the order a promise lives, whatever order they come in', () => {
    const at = '2026-01-10T09:00:00Z';
    const moved = fact('Promise Changed', at, { promiseId: 'sso', dueAt: '2026-04-30' });
    const kept = fact('Promise Kept', at, { promiseId: 'sso' });
    const [sso] = accountPromises([kept, moved, { ...made, at: new Date(at) }]);
    expect(sso).toMatchObject({ status: 'kept', dueAt: new Date('2026-05-01T00:00:00Z') });
  });

  it('gives templates and tasks what to say of open promises, due soon by the configured days', () => {
    const tenDaysAhead = new Date('2026-03-21T00:00:00Z');
    expect(promiseWords(accountPromises([made]), tenDaysAhead).talkingPoints).toEqual([]);
    expect(promiseWords(accountPromises([made]), tenDaysAhead, 14).talkingPoints).toEqual([
      'The promise "Single sign-on" is due on 2026-03-31: check it will be kept (engineering delivers it)',
    ]);
  });

  it('keeps a kept promise kept when the CRM sends it again', () => {
    const kept = fact('Promise Kept', '2026-02-01T00:00:00Z', { promiseId: 'sso' });
    const again = { ...made, at: new Date('2026-02-02T00:00:00Z') };
    expect(accountPromises([made, kept, again])[0]?.status).toBe('kept');
  });

  it('names what is wrong with a promise event', () => {
    expect(promiseEventProblems('Promise Made', { promiseId: 'x', dueAt: 'soon' })).toEqual([
      { field: 'title', message: 'is missing: say what was promised, e.g. "Single sign-on by March"' },
      {
        field: 'dueAt',
        message: 'is not a date: "soon" (use YYYY-MM-DD, or a date-time with its zone such as 2027-03-31T17:00:00Z)',
      },
    ]);
    expect(promiseEventProblems('Promise Kept', { promiseId: 'x' })).toEqual([]);
    // No such day, a bare number, a time without its zone: each refused rather than read as something else.
    for (const dueAt of ['2027-02-31', '1', '2027-03-31T17:00:00'])
      expect(promiseEventProblems('Promise Made', { promiseId: 'x', title: 'X', dueAt })[0]?.field).toBe('dueAt');
    expect(promiseDueAt('2027-03-31T17:00:00+02:00')).toEqual(new Date('2027-03-31T15:00:00Z'));
  });

  it('raises promise-broken the day after the due date, naming the owner and the maker', () => {
    expect(signalsAt([made], '2026-03-31T23:00:00Z', 'promise-broken')).toEqual([]);
    const [broken] = signalsAt([made], '2026-04-21T00:00:00Z', 'promise-broken');
    expect(broken).toMatchObject({ instance: 'sso', deadlineAt: new Date('2026-04-01T00:00:00Z') });
    expect(broken?.reasons).toEqual([
      'Promise "Single sign-on" was due on 2026-03-31 and is 3 weeks late',
      'Promised by sam@example.com on 2026-01-10; engineering must deliver it',
    ]);
    const point = promiseTalkingPoint(accountPromises([made])[0]!, new Date('2026-04-21T00:00:00Z'), 7);
    expect(point).toBe(
      'Raise the promise "Single sign-on" due in March 2026, now 3 weeks late (engineering delivers it)',
    );
  });

  it('raises nothing for a promise kept in time or withdrawn, and clears when a late one is kept', () => {
    const kept = fact('Promise Kept', '2026-03-30T00:00:00Z', { promiseId: 'sso' });
    expect(signalsAt([made, kept], '2026-04-21T00:00:00Z', 'promise-broken')).toEqual([]);
    const withdrawn = fact('Promise Withdrawn', '2026-03-01T00:00:00Z', { promiseId: 'sso', reason: 'not wanted' });
    expect(signalsAt([made, withdrawn], '2026-04-21T00:00:00Z', 'promise-broken')).toEqual([]);
    const late = fact('Promise Kept', '2026-04-25T00:00:00Z', { promiseId: 'sso' });
    expect(signalsAt([made, late], '2026-04-26T00:00:00Z', 'promise-broken')).toEqual([]);
  });

  it('raises promise-due within 7 days for the promise owner, and asks to look again when it may change', () => {
    const evaluation = evaluateAccount(
      snapshotOf({ promises: accountPromises([export_]) }),
      config,
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(evaluation.nextCheckAt).toEqual(new Date('2026-02-09T00:00:00Z'));
    const [due] = signalsAt([export_], '2026-02-12T00:00:00Z', 'promise-due');
    expect(due).toMatchObject({ instance: 'export', noticeTo: 'rita@example.com', valueAtStakeMinor: 0 });
    expect(due?.reasons[0]).toBe('Promise "Excel export" is due on 2026-02-15, in 4 days');
    expect(signalsAt([export_], '2026-02-16T00:00:01Z', 'promise-due')).toEqual([]);
  });

  it('weighs a broken promise on the health score with its reasons', () => {
    const snapshot = snapshotOf({ promises: accountPromises([made]) });
    const now = new Date('2026-04-21T00:00:00Z');
    const health = healthScore(snapshot, evaluateAccount(snapshot, config, now), config, now);
    const component = health.components.find((entry) => entry.name === 'promises');
    expect(component?.score).toBeLessThan(50);
    expect(component?.reasons[0]).toBe('Promise "Single sign-on" was due on 2026-03-31 and is 3 weeks late');
    const none = snapshotOf();
    expect(
      healthScore(none, evaluateAccount(none, config, now), config, now).components.find(
        (entry) => entry.name === 'promises',
      )?.score,
    ).toBeNull();
  });
});
