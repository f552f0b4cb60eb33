// The company the app's browser tests look at: Maria Keller manages two reps, Rita Novak and Sam Fischer;
// each owns accounts, some spoken to lately and some left quiet past their cadence, a check-in playbook
// that holds half its accounts out, and three weeks on the manual clock so that signals, tasks and
// health history exist. Everything goes in through the API, as a customer's integration would send it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { assignGroup } from '../../src/domain/playbooks/holdout.js';
import { type Person, signIn } from './people.js';
import { advance, group, send, track } from './scenario.js';
import { startTestTend, type TestTend } from './test-tend.js';

export const people = {
  ada: { email: 'ada@tend.example', name: 'Ada Admin', role: 'admin' },
  maria: { email: 'maria@tend.example', name: 'Maria Keller', role: 'manager' },
  rita: { email: 'rita@tend.example', name: 'Rita Novak', role: 'rep', managerEmail: 'maria@tend.example' },
  sam: { email: 'sam@tend.example', name: 'Sam Fischer', role: 'rep', managerEmail: 'maria@tend.example' },
} as const;

type Owner = 'rita' | 'sam';

interface ScenarioAccount {
  readonly id: string;
  readonly name: string;
  readonly owner: Owner;
  readonly profit: number;
  readonly contact: { readonly id: string; readonly name: string; readonly phone: string };
  /** A conversation this many days into the story keeps the account within its cadence. */
  readonly spokenOnDay: number | null;
  /** A survey answered with a low score on this day of the story. */
  readonly unhappyOnDay: number | null;
}

/** Account, owner, profit a year in euros, the person there; the day they were spoken to, the day unhappy. */
const book = [
  ['northwind', 'Northwind Traders', 'rita', 120_000, 'nina', 'Nina Berg', null, null],
  ['fabrikam', 'Fabrikam', 'rita', 24_000, 'fred', 'Fred Olsen', 12, 30],
  ['contoso', 'Contoso', 'sam', 70_000, 'carl', 'Carl Weber', null, null],
  ['tailspin', 'Tailspin Toys', 'sam', 9_000, 'tina', 'Tina Roth', 15, null],
  ['litware', 'Litware', 'rita', 6_000, 'lena', 'Lena Hoff', 18, null],
  ['proseware', 'Proseware', 'sam', 4_000, 'paul', 'Paul Lenz', 17, null],
] as const;

export const accounts: readonly ScenarioAccount[] = book.map(
  ([id, name, owner, profit, contactId, contactName, spokenOnDay, unhappyOnDay], index) => ({
    id,
    name,
    owner,
    profit,
    contact: { id: contactId, name: contactName, phone: `+49 30 1234 56${String(index + 1).padStart(2, '0')}` },
    spokenOnDay,
    unhappyOnDay,
  }),
);

/** The playbook every account enters on day 3: an e-mail, then a task for the owner; half the accounts held out. */
export const checkIn = { id: 'spring-review', name: 'Spring review', objective: 'Check in about the spring plans' };
const playbookYaml = `id: ${checkIn.id}
name: ${checkIn.name}
description: A call from the owner to hear about the customer's plans for spring.
version: 1
trigger: { event: Spring Plans Due }
steps:
  - id: ask
    send: { channel: email, template: spring-review }
  - id: call
    task:
      for: owner
      objective: ${checkIn.objective}
      talkingPoints: [What changes for them this spring, Who else we should meet]
      dueIn: P10D
goal: { event: Meeting Held, within: P30D }
holdout: 0.5
reentry: never
`;
/** The playbook's e-mail, written in MJML as designers write them: the Outbox shows its HTML. */
const templateYaml = `key: spring-review
variants:
  en:
    standard:
      subject: "{{ contact.firstName | default: 'Hello' }}, what are your plans for spring?"
      mjml: |
        <mjml><mj-body><mj-section><mj-column>
          <mj-text font-size="16px" color="#1f6f50">Hi {{ contact.firstName | default: 'there' }},</mj-text>
          <mj-text>Spring is coming: what changes for {{ account.name | default: 'you' }}? {{ owner.name }} will call.</mj-text>
          <mj-button href="https://example.com/book">Pick a time</mj-button>
        </mj-column></mj-section></mj-body></mjml>
`;

export interface AppScenario {
  readonly tend: TestTend;
  readonly ada: Person;
  readonly maria: Person;
  readonly rita: Person;
  readonly sam: Person;
  /** Stops Tend and removes what the scenario wrote. */
  stop(): Promise<void>;
}

export const storyStart = new Date('2026-03-02T09:00:00Z');
/** How many days the story runs before the tests look. */
export const storyDays = 32;

/** Starts a Tend on the manual clock and plays the story into it. */
export async function startAppScenario(): Promise<AppScenario> {
  const heldOut = accounts.filter((account) => assignGroup(checkIn.id, account.id, 0.5) === 'holdout');
  // The results page needs both groups; a change of ids that breaks that must say so here.
  expect(heldOut.length, 'both the treated and the held-out group have accounts').toBeGreaterThan(0);
  expect(heldOut.length).toBeLessThan(accounts.length);
  const folder = mkdtempSync(join(tmpdir(), 'tend-app-scenario-'));
  for (const part of ['playbooks', 'templates']) mkdirSync(join(folder, part));
  writeFileSync(join(folder, 'playbooks', `${checkIn.id}.yaml`), playbookYaml);
  writeFileSync(join(folder, 'templates', 'spring-review.yaml'), templateYaml);
  const tend = await startTestTend({
    clock: { kind: 'manual', start: storyStart },
    playbooks: join(folder, 'playbooks'),
    settings: { templatesPath: join(folder, 'templates') },
  });
  const ada = await signIn(tend, people.ada);
  const maria = await signIn(tend, people.maria);
  const rita = await signIn(tend, people.rita);
  const sam = await signIn(tend, people.sam);
  for (const account of accounts) {
    const { contact } = account;
    const email = `${contact.id}@${account.id}.example`;
    const traits = { email, name: contact.name, phone: contact.phone, timezone: 'Europe/Berlin' };
    await send(tend, [
      { type: 'identify', userId: contact.id, traits },
      group(contact.id, account.id, {
        name: account.name,
        profit: account.profit,
        revenue: account.profit * 4,
        currency: 'EUR',
        lifecycleStage: 'active',
        owner: people[account.owner].email,
      }),
    ]);
  }
  await advance(tend, 'PT1M');
  for (let day = 1; day <= storyDays; day++) {
    for (const account of accounts) {
      const customer = account.contact.id;
      if (day % 4 === account.id.length % 4) await send(tend, [track(customer, 'Signed In')]);
      if (day === 3) await send(tend, [track(customer, 'Spring Plans Due')]);
      if (day === account.unhappyOnDay) {
        await send(tend, [track(customer, 'Survey Answered', { score: 2, scale: 10 })]);
      }
      if (day === account.spokenOnDay) {
        const rep = people[account.owner].email;
        const call = { accountId: account.id, rep, channel: 'phone', direction: 'outbound', twoWay: true };
        const logged = await tend.post('/api/v1/interactions', { ...call, summary: 'Talked about the renewal' });
        expect(logged.status, JSON.stringify(logged.body)).toBe(201);
      }
    }
    await advance(tend, 'P1D');
  }
  const stop = async () => {
    await tend.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  return { tend, ada, maria, rita, sam, stop };
}
