// The owner trait can be set by anyone with a write key (browser SDKs ship one), so it routes mail and
// work only when it names a Tend user: an unknown address is kept and shown, but gets no Reply-To, no
// task and no book; once that person is added as a user, the account is theirs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, group, openSignals, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbook = `
id: owner-routing
name: Owner routing
version: 1
trigger: { signal: detractor }
steps:
  - id: ask
    send: { channel: email, template: we-miss-you }
  - id: call
    task: { for: owner, objective: Call them about their score, dueIn: P1D }
holdout: 0
reentry: never
`;

type OutboxMessage = { channel: string; status: string; message: { replyTo: string } | null };
let tend: TestTend;

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tend-owner-'));
  writeFileSync(join(folder, 'owner-routing.yaml'), playbook);
  // No TEND_REPLY_DOMAIN: replies go to the owner's own mailbox, which is what a forged owner would take.
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') }, playbooks: folder });
  const rita = await tend.post('/api/v1/users', { email: 'rita@tend.example', name: 'Rita', role: 'rep' });
  expect(rita.status).toBe(201);
  await send(tend, [
    { type: 'identify', userId: 'ulla', traits: { email: 'ulla@unknownco.example', name: 'Ulla' } },
    group('ulla', 'unknownco', { name: 'Unknown Co', profit: 50000, owner: 'Mallory@Evil.example' }),
    { type: 'identify', userId: 'kai', traits: { email: 'kai@knownco.example', name: 'Kai' } },
    group('kai', 'knownco', { name: 'Known Co', profit: 50000, owner: 'rita@tend.example' }),
  ]);
  await send(tend, [track('ulla', 'Survey Answered', { score: 1 }), track('kai', 'Survey Answered', { score: 1 })]);
  await advance(tend, 'PT1M');
});
afterAll(async () => tend?.stop());

const emailTo = async (contactId: string) => {
  const messages = (await tend.admin(`/api/v1/outbox?contactId=${contactId}`)).body.messages as OutboxMessage[];
  return messages.filter((message) => message.channel === 'email');
};

describe('an owner who is not a Tend user', () => {
  it('is kept and shown as unknown, with how to add them', async () => {
    const { body } = await tend.admin('/api/v1/accounts/unknownco');
    const note = expect.stringMatching(/not a Tend user: add them with POST \/api\/v1\/users/);
    expect(body.owner).toEqual({ email: 'mallory@evil.example', known: false, note });
    const contact = (await tend.admin('/api/v1/contacts/ulla')).body;
    expect(contact.account.owner).toMatchObject({ email: 'mallory@evil.example', known: false });
    const known = (await tend.admin('/api/v1/accounts/knownco')).body;
    expect(known.owner).toEqual({ email: 'rita@tend.example', known: true, name: 'Rita' });
  });

  it("is not the Reply-To of the account's e-mails: the sender is", async () => {
    const [unknown] = await emailTo('ulla');
    expect(unknown).toMatchObject({ status: 'delivered-locally' });
    expect(unknown!.message!.replyTo).toBe('Tend <tend@tend.localhost>');
    expect((await emailTo('kai'))[0]!.message!.replyTo).toBe('rita@tend.example');
  });

  it('gets no task, owns no signal, and is not a rep in the book audit', async () => {
    expect((await tend.admin('/api/v1/tasks?accountId=unknownco')).body.tasks).toEqual([]);
    const ritas = (await tend.admin('/api/v1/tasks?accountId=knownco')).body.tasks;
    expect(ritas).toEqual([expect.objectContaining({ owner: 'rita@tend.example' })]);
    const detractor = (await openSignals(tend, 'unknownco')).find((signal) => signal.kind === 'detractor');
    expect(detractor?.owner).toBeNull();
    const audit = (await tend.admin('/api/v1/audit')).body;
    expect(audit.byRep.map((rep: { repEmail: string }) => rep.repEmail)).not.toContain('mallory@evil.example');
    expect(audit.accounts.find((account: { accountId: string }) => account.accountId === 'unknownco').owner).toBeNull();
  });

  it('owns the account once added as a user: its open signals and the today list are theirs', async () => {
    const added = await tend.post('/api/v1/users', { email: 'mallory@evil.example', name: 'Mallory', role: 'rep' });
    expect(added.status).toBe(201);
    const account = (await tend.admin('/api/v1/accounts/unknownco')).body;
    expect(account.owner).toEqual({ email: 'mallory@evil.example', known: true, name: 'Mallory' });
    const detractor = (await openSignals(tend, 'unknownco')).find((signal) => signal.kind === 'detractor');
    expect(detractor?.owner).toBe('mallory@evil.example');
    const today = (await tend.admin('/api/v1/users/mallory@evil.example/today')).body;
    expect(today.accountsOwned).toBe(1);
    expect(today.entries.map((entry: { accountId: string }) => entry.accountId)).toEqual(['unknownco']);
  });
});
