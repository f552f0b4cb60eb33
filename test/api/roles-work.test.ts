// Who may see and do what in the work API (tasks, the outbox, consent, the do-not-contact list,
// playbooks), each role against each endpoint: Rita and Sam are reps in two teams, Maria manages Rita
// and owns an account herself, Ada is an admin, and the admin token acts as an admin. A record outside
// one's book answers 404 with the body of an id that does not exist; admin-only endpoints answer 403.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbook = `
id: poke-reply
name: Poke reply
version: 1
trigger: { event: Poked }
steps:
  - id: thank
    send: { channel: email, template: poke-thanks }
holdout: 0
reentry: never
`;

const template = `
key: poke-thanks
variants:
  en:
    standard:
      subject: "Thanks for the poke"
      text: "Hello {{ contact.name }}, thanks."
`;

type Role = 'rita' | 'sam' | 'maria' | 'ada' | 'token';
const roles: readonly Role[] = ['rita', 'sam', 'maria', 'ada', 'token'];
type Account = 'ritaco' | 'samco' | 'mariaco';
const contactOf: Record<Account, string> = { ritaco: 'anna', samco: 'bert', mariaco: 'mia' };
/** Each role's book: the accounts it may see. */
const bookOf: Record<Role, readonly Account[]> = {
  rita: ['ritaco'],
  sam: ['samco'],
  maria: ['ritaco', 'mariaco'],
  ada: ['ritaco', 'samco', 'mariaco'],
  token: ['ritaco', 'samco', 'mariaco'],
};
const unknownId = '01a209bb-d7a4-7004-9a9e-afdd41b429aa';

let tend: TestTend;
const people = {} as Record<Role, Person>;
/** Tasks by name: one per account for its owner, and Sam's task on Rita's account. */
const tasks: Record<string, string> = {};
const messages = {} as Record<Account, string>;

function adminTokenPerson(): Person {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${tend.adminToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const response = await fetch(`${tend.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  };
  return {
    id: 'token',
    email: 'token',
    role: 'admin',
    cookie: '',
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path, body) => call('DELETE', path, body),
  };
}

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tend-roles-work-'));
  mkdirSync(join(folder, 'playbooks'));
  mkdirSync(join(folder, 'templates'));
  writeFileSync(join(folder, 'playbooks', 'poke-reply.yaml'), playbook);
  writeFileSync(join(folder, 'templates', 'poke-thanks.yaml'), template);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: join(folder, 'playbooks'),
    settings: { templatesPath: join(folder, 'templates') },
  });
  people.maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager' });
  people.rita = await signIn(tend, { email: 'rita@tend.example', role: 'rep', managerEmail: 'maria@tend.example' });
  await signIn(tend, { email: 'olga@tend.example', role: 'manager' });
  people.sam = await signIn(tend, { email: 'sam@tend.example', role: 'rep', managerEmail: 'olga@tend.example' });
  people.ada = await signIn(tend, { email: 'ada@tend.example', role: 'admin' });
  people.token = adminTokenPerson();
  const owners: Record<Account, string> = { ritaco: 'rita', samco: 'sam', mariaco: 'maria' };
  for (const [account, owner] of Object.entries(owners) as [Account, string][]) {
    const contact = contactOf[account];
    await send(tend, [
      { type: 'identify', userId: contact, traits: { email: `${contact}@${account}.example`, name: contact } },
      group(contact, account, { name: account, profit: 20000, owner: `${owner}@tend.example` }),
    ]);
    const owned = { owner: `${owner}@tend.example`, accountId: account, objective: `Call ${account}` };
    const task = await tend.post('/api/v1/tasks', owned);
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    tasks[account] = task.body.id;
  }
  const cover = { owner: 'sam@tend.example', accountId: 'ritaco', objective: 'Cover for Rita' };
  const colleagues = await tend.post('/api/v1/tasks', cover);
  tasks.samOnRitaco = colleagues.body.id;
  await send(
    tend,
    Object.values(contactOf).map((contact) => track(contact, 'Poked')),
  );
  await advance(tend, 'PT1M');
  for (const account of Object.keys(contactOf) as Account[]) {
    const { body } = await tend.admin(`/api/v1/outbox?accountId=${account}`);
    expect(body.messages, account).toHaveLength(1);
    messages[account] = body.messages[0].id;
  }
}, 120_000);
afterAll(async () => tend?.stop());

/** The body of a 404, with the id it names replaced, so that two answers compare whatever id they name. */
const withoutId = (answer: Answer, id: string) => JSON.parse(JSON.stringify(answer.body).replaceAll(id, '<id>'));

/** Whom a person gives a new task: themselves; an admin gives it to Olga, whose book no one here looks at. */
const ownerFor = (person: Person) => (person.role === 'admin' ? 'olga@tend.example' : person.email);

/**
 * Endpoints that act on one record of an account: called by each role on each account's record, they
 * answer `found` within the role's book and 404 outside it, word for word as for an unknown id.
 */
const recordEndpoints: {
  readonly endpoint: string;
  readonly found: number;
  /** The id the endpoint names for the account's record. */
  readonly idOf: (account: Account) => string;
  readonly unknown: string;
  /** What an admin gets for the unknown id: 404 unless said otherwise. */
  readonly unknownForAdmin?: number;
  readonly call: (person: Person, id: string) => Promise<Answer>;
}[] = [
  {
    endpoint: 'GET /api/v1/contacts/{userId}/consents',
    found: 200,
    idOf: (account) => contactOf[account],
    unknown: 'nobody-here',
    call: (person, id) => person.get(`/api/v1/contacts/${id}/consents`),
  },
  {
    endpoint: 'POST /api/v1/contacts/{userId}/consents',
    found: 200,
    idOf: (account) => contactOf[account],
    unknown: 'nobody-here',
    call: (person, id) =>
      person.post(`/api/v1/contacts/${id}/consents`, { channel: 'email', status: 'opted-in', source: 'roles test' }),
  },
  {
    // A message delivered to the local mailbox cannot be sent again: found, it answers 409.
    endpoint: 'POST /api/v1/outbox/{id}/resend',
    found: 409,
    idOf: (account) => messages[account],
    unknown: unknownId,
    call: (person, id) => person.post(`/api/v1/outbox/${id}/resend`, {}),
  },
  {
    // The account owner's own task: its owner, their manager and admins complete it (the same outcome
    // twice is harmless).
    endpoint: 'POST /api/v1/tasks/{id}/complete',
    found: 200,
    idOf: (account) => tasks[account]!,
    unknown: unknownId,
    call: (person, id) => person.post(`/api/v1/tasks/${id}/complete`, { outcome: 'reached' }),
  },
  {
    endpoint: 'POST /api/v1/tasks (on an account)',
    found: 201,
    idOf: (account) => account,
    unknown: 'nosuchco',
    // An admin may give a task on an account Tend has not heard of yet; there is nothing to hide from an admin.
    unknownForAdmin: 201,
    call: (person, id) => person.post('/api/v1/tasks', { owner: ownerFor(person), accountId: id, objective: 'Call' }),
  },
  {
    endpoint: 'POST /api/v1/tasks (about a contact)',
    found: 201,
    idOf: (account) => contactOf[account],
    unknown: 'nobody-here',
    unknownForAdmin: 201,
    call: (person, id) => person.post('/api/v1/tasks', { owner: ownerFor(person), contactId: id, objective: 'Call' }),
  },
];

describe.each(recordEndpoints)('$endpoint', ({ found, idOf, unknown, unknownForAdmin, call }) => {
  it.each(roles)('answers %s within the book, and outside it as for an unknown id', async (role) => {
    const person = people[role];
    const unknownAnswer = await call(person, unknown);
    for (const account of Object.keys(contactOf) as Account[]) {
      const id = idOf(account);
      const answer = await call(person, id);
      if (bookOf[role].includes(account)) {
        expect(answer.status, `${role} on ${account}: ${JSON.stringify(answer.body)}`).toBe(found);
      } else {
        expect(answer.status, `${role} on ${account}`).toBe(404);
        expect(withoutId(answer, id), `${role} on ${account}`).toEqual(withoutId(unknownAnswer, unknown));
      }
    }
    expect(unknownAnswer.status).toBe(person.role === 'admin' ? (unknownForAdmin ?? 404) : 404);
  });
});

/** Lists: each role gets exactly the records of its book. */
const lists: {
  readonly endpoint: string;
  readonly path: string;
  readonly names: (body: Answer['body']) => string[];
  readonly expected: Record<Role, readonly string[]>;
}[] = [
  {
    endpoint: 'GET /api/v1/outbox',
    path: '/api/v1/outbox',
    names: (body) => body.messages.map((message: { accountId: string }) => message.accountId).sort(),
    expected: {
      rita: ['ritaco'],
      sam: ['samco'],
      maria: ['mariaco', 'ritaco'],
      ada: ['mariaco', 'ritaco', 'samco'],
      token: ['mariaco', 'ritaco', 'samco'],
    },
  },
  {
    endpoint: 'GET /api/v1/outbox?accountId=samco',
    path: '/api/v1/outbox?accountId=samco',
    names: (body) => body.messages.map((message: { accountId: string }) => message.accountId),
    expected: { rita: [], sam: ['samco'], maria: [], ada: ['samco'], token: ['samco'] },
  },
  {
    // A rep: their own tasks and those on their accounts; a manager also their reps'.
    endpoint: 'GET /api/v1/tasks',
    path: '/api/v1/tasks?limit=1000',
    names: (body) =>
      body.tasks
        .filter((task: { id: string }) => Object.values(tasks).includes(task.id))
        .map((task: { id: string }) => Object.keys(tasks).find((name) => tasks[name] === task.id))
        .sort(),
    expected: {
      rita: ['ritaco', 'samOnRitaco'],
      sam: ['samOnRitaco', 'samco'],
      maria: ['mariaco', 'ritaco', 'samOnRitaco'],
      ada: ['mariaco', 'ritaco', 'samOnRitaco', 'samco'],
      token: ['mariaco', 'ritaco', 'samOnRitaco', 'samco'],
    },
  },
  {
    endpoint: 'GET /api/v1/tasks?accountId=samco',
    path: '/api/v1/tasks?accountId=samco',
    names: (body) => [...new Set<string>(body.tasks.map((task: { accountId: string }) => task.accountId))],
    expected: { rita: [], sam: ['samco'], maria: [], ada: ['samco'], token: ['samco'] },
  },
];

describe.each(lists)('$endpoint', ({ path, names, expected }) => {
  it.each(roles)('lists only what %s may see', async (role) => {
    const answer = await people[role].get(path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(names(answer.body)).toEqual(expected[role]);
  });
});

/** Endpoints whose answer does not depend on a book: the expected status per role. */
const byRole: {
  readonly endpoint: string;
  readonly call: (person: Person) => Promise<Answer>;
  readonly expected: Record<Role, number>;
}[] = [
  {
    endpoint: 'GET /api/v1/playbooks',
    call: (person) => person.get('/api/v1/playbooks'),
    expected: { rita: 200, sam: 200, maria: 200, ada: 200, token: 200 },
  },
  {
    endpoint: 'GET /api/v1/playbooks/{id}/results',
    call: (person) => person.get('/api/v1/playbooks/poke-reply/results'),
    expected: { rita: 200, sam: 200, maria: 200, ada: 200, token: 200 },
  },
  {
    endpoint: 'GET /api/v1/do-not-contact',
    call: (person) => person.get('/api/v1/do-not-contact'),
    expected: { rita: 403, sam: 403, maria: 403, ada: 200, token: 200 },
  },
  {
    endpoint: 'POST /api/v1/do-not-contact',
    call: (person) => person.post('/api/v1/do-not-contact', { value: `${person.id}@nowhere.example` }),
    expected: { rita: 403, sam: 403, maria: 403, ada: 201, token: 201 },
  },
  {
    endpoint: 'DELETE /api/v1/do-not-contact/{value}',
    call: (person) => person.delete('/api/v1/do-not-contact/nobody-listed@nowhere.example'),
    expected: { rita: 403, sam: 403, maria: 403, ada: 404, token: 404 },
  },
  {
    // Another rep's task on Rita's account: Rita sees it, but only Sam, his manager and admins complete it.
    endpoint: "POST /api/v1/tasks/{id}/complete (a colleague's task on one's account)",
    call: (person) => person.post(`/api/v1/tasks/${tasks.samOnRitaco}/complete`, { outcome: 'other' }),
    expected: { rita: 403, sam: 200, maria: 403, ada: 200, token: 200 },
  },
  {
    // Tasks are given to oneself, or by a manager to their reps; Sam is not Maria's.
    endpoint: 'POST /api/v1/tasks (for Sam, on no account)',
    call: (person) => person.post('/api/v1/tasks', { owner: 'sam@tend.example', objective: 'Say hello' }),
    expected: { rita: 403, sam: 201, maria: 403, ada: 201, token: 201 },
  },
  {
    endpoint: 'POST /api/v1/tasks (for Rita, on no account)',
    call: (person) => person.post('/api/v1/tasks', { owner: 'rita@tend.example', objective: 'Say hello' }),
    expected: { rita: 201, sam: 403, maria: 201, ada: 201, token: 201 },
  },
];

describe.each(byRole)('$endpoint', ({ call, expected }) => {
  it.each(roles)('answers %s as its role allows', async (role) => {
    const answer = await call(people[role]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(expected[role]);
  });
});

describe('besides', () => {
  it('answers 401 to nobody signed in', async () => {
    for (const path of ['/api/v1/tasks', '/api/v1/outbox', '/api/v1/playbooks', '/api/v1/contacts/anna/consents']) {
      expect((await fetch(`${tend.url}${path}`)).status, path).toBe(401);
    }
  });

  it("pages a manager's outbox newest first with the accounts' names, and refuses a cursor it did not give", async () => {
    const seen: { id: string; accountId: string; accountName: string | null; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await people.maria.get(`/api/v1/outbox?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...page.body.messages);
      cursor = page.body.next;
    } while (cursor !== null && seen.length < 10);
    expect(seen.map((message) => message.accountId).sort()).toEqual(['mariaco', 'ritaco']);
    expect(seen.map((message) => message.accountName).sort()).toEqual(['mariaco', 'ritaco']);
    expect(new Set(seen.map((message) => message.id)).size).toBe(2);
    expect(seen[0]!.createdAt >= seen[1]!.createdAt).toBe(true);
    const refused = await people.maria.get('/api/v1/outbox?cursor=not-a-cursor');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('cursor');
  });

  it('answers 409 to an idempotency key used for a task outside the book, and shows nothing of it', async () => {
    const key = { owner: 'sam@tend.example', accountId: 'samco', objective: 'Renewal', idempotencyKey: 'sams-renewal' };
    expect((await people.sam.post('/api/v1/tasks', key)).status).toBe(201);
    const reused = await people.rita.post('/api/v1/tasks', { ...key, owner: 'rita@tend.example', accountId: 'ritaco' });
    expect(reused.status).toBe(409);
    expect(JSON.stringify(reused.body)).not.toMatch(/samco|Renewal|sam@/);
  });
});
