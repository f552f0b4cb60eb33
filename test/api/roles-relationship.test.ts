// Who may see and change what through the record and relationship API: two reps (Rita, in Maria's team,
// and Sam, in nobody's), their manager Maria, an admin signed in (Ada) and the admin token. Each row of
// the table is an endpoint with the status each of them gets; a 404 outside one's book must read exactly
// as the 404 for an id that does not exist. Then the lists: each holds the caller's book and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

type Who = 'rita' | 'sam' | 'maria' | 'ada' | 'token';
/** The status each caller gets; Ada and the admin token are both admins. */
type Statuses = { readonly rita: number; readonly sam: number; readonly maria: number; readonly admin: number };
type Caller = Pick<Person, 'get' | 'post' | 'delete'>;

const rita = 'rita@tend.example';
const sam = 'sam@tend.example';
const maria = 'maria@tend.example';
/** Each person's account, and the customer in it. */
const accounts = { rita: 'rita-co', sam: 'sam-co', maria: 'maria-co' } as const;
const customers = { rita: 'rosa', sam: 'sven', maria: 'mona' } as const;
const unknownAccount = 'no-such-co';
const unknownPerson = 'no-such-person';
const unknownUser = 'nobody@tend.example';

/** Who sees a record of Rita's, Sam's or Maria's book: the owner, Maria for herself and Rita, the admins. */
const book = {
  rita: (ok: number): Statuses => ({ rita: ok, sam: 404, maria: ok, admin: ok }),
  sam: (ok: number): Statuses => ({ rita: 404, sam: ok, maria: 404, admin: ok }),
  maria: (ok: number): Statuses => ({ rita: 404, sam: 404, maria: ok, admin: ok }),
};
const anyone = (ok = 200): Statuses => ({ rita: ok, sam: ok, maria: ok, admin: ok });
const adminOnly = (ok = 200): Statuses => ({ rita: 403, sam: 403, maria: 403, admin: ok });

interface Row {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly expected: Statuses;
  /** The same request naming nothing that exists, and the id to put back: its 404 must be the same. */
  readonly unknown?: { readonly path: string; readonly body?: unknown; readonly swap: readonly [string, string] };
}

const owners = ['rita', 'sam', 'maria'] as const;

/** One row per person's book, for a request about an id in it (`at` builds the request for any id). */
function perBook(
  ids: Record<(typeof owners)[number], string>,
  unknownId: string,
  ok: number,
  at: (id: string) => { method: Row['method']; path: string; body?: unknown },
): Row[] {
  return owners.map((owner) => ({
    ...at(ids[owner]),
    expected: book[owner](ok),
    unknown: { ...at(unknownId), swap: [unknownId, ids[owner]] },
  }));
}

const emails = { rita, sam, maria };
const get = (path: string) => ({ method: 'GET' as const, path });
const post = (path: string, body?: unknown) => ({ method: 'POST' as const, path, body });
const aCall = { channel: 'phone', direction: 'outbound', twoWay: true, summary: 'Talked about the renewal' };

const rows: Row[] = [
  ...perBook(accounts, unknownAccount, 200, (id) => get(`/api/v1/accounts/${id}`)),
  ...perBook(accounts, unknownAccount, 200, (id) => get(`/api/v1/accounts/${id}/health`)),
  ...perBook(accounts, unknownAccount, 200, (id) => get(`/api/v1/accounts/${id}/audit`)),
  ...perBook(customers, unknownPerson, 200, (id) => get(`/api/v1/contacts/${id}`)),
  ...perBook(emails, unknownUser, 200, (id) => get(`/api/v1/users/${id}`)),
  ...perBook(emails, unknownUser, 200, (id) => get(`/api/v1/users/${id}/today`)),
  ...perBook(accounts, unknownAccount, 201, (id) => ({
    method: 'POST',
    path: '/api/v1/interactions',
    body: { accountId: id, ...aCall },
  })),
  // A person is known by their account: outside the book they are as unknown as a person in no account.
  ...perBook(customers, unknownPerson, 201, (id) => ({
    method: 'POST',
    path: '/api/v1/interactions',
    body: { userId: id, ...aCall },
  })).map((row) => ({ ...row, expected: notFoundAs(400, row.expected) })),
  // Oversight is for managers and admins: a rep is refused whoever they ask about.
  { ...get(`/api/v1/users/${maria}/oversight`), expected: { rita: 403, sam: 403, maria: 200, admin: 200 } },
  { ...get(`/api/v1/users/${rita}/oversight`), expected: { rita: 403, sam: 403, maria: 200, admin: 200 } },
  {
    ...get(`/api/v1/users/${sam}/oversight`),
    expected: { rita: 403, sam: 403, maria: 404, admin: 200 },
    unknown: { path: `/api/v1/users/${unknownUser}/oversight`, swap: [unknownUser, sam] },
  },
  { ...get('/api/v1/signals'), expected: anyone() },
  { ...get(`/api/v1/signals?ownerId=${sam}`), expected: anyone() },
  { ...get('/api/v1/events'), expected: anyone() },
  { ...get('/api/v1/users'), expected: anyone() },
  { ...get('/api/v1/audit'), expected: anyone() },
  { ...get('/api/v1/clock'), expected: anyone() },
  // Settings, keys, the clock's hand, the audit log, the models, a person's export and erasure: admins.
  { ...post('/api/v1/users', { email: 'newcomer@tend.example', role: 'rep' }), expected: adminOnly(201) },
  { ...post('/api/v1/clock/advance', { by: 'PT1S' }), expected: adminOnly() },
  { ...get('/api/v1/audit-log'), expected: adminOnly() },
  { ...get('/api/v1/write-keys'), expected: adminOnly() },
  { ...post('/api/v1/write-keys', { source: 'roles-test' }), expected: adminOnly(201) },
  { ...post('/api/v1/write-keys/wk_none/revoke'), expected: adminOnly(404) },
  { ...get('/api/v1/models/purchase'), expected: adminOnly() },
  { ...get(`/api/v1/contacts/${customers.rita}/export`), expected: adminOnly() },
  { method: 'DELETE', path: `/api/v1/contacts/${unknownPerson}`, expected: adminOnly(404) },
];

/** The statuses with `status` where a record outside the book is not found. */
function notFoundAs(status: number, expected: Statuses): Statuses {
  const as = (code: number) => (code === 404 ? status : code);
  return { rita: as(expected.rita), sam: as(expected.sam), maria: as(expected.maria), admin: as(expected.admin) };
}

const callers: readonly Who[] = ['rita', 'sam', 'maria', 'ada', 'token'];
const expectedFor = (row: Row, who: Who) => row.expected[who === 'ada' || who === 'token' ? 'admin' : who];

let tend: TestTend;
const people = {} as Record<Who, Caller>;

/** The admin token as a caller like the people. */
function tokenCaller(): Caller {
  const send = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${tend.adminToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const content = body === undefined ? {} : { body: JSON.stringify(body) };
    const response = await fetch(`${tend.url}${path}`, { method, headers, ...content });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  };
  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    delete: (path) => send('DELETE', path),
  };
}

function request(caller: Caller, method: Row['method'], path: string, body?: unknown): Promise<Answer> {
  switch (method) {
    case 'GET':
      return caller.get(path);
    case 'POST':
      return caller.post(path, body);
    case 'DELETE':
      return caller.delete(path, body);
  }
}

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') } });
  people.maria = await signIn(tend, { email: maria, role: 'manager', name: 'Maria' });
  people.rita = await signIn(tend, { email: rita, role: 'rep', name: 'Rita', managerEmail: maria });
  people.sam = await signIn(tend, { email: sam, role: 'rep', name: 'Sam' });
  people.ada = await signIn(tend, { email: 'ada@tend.example', role: 'admin', name: 'Ada' });
  people.token = tokenCaller();
  await send(tend, [
    group(customers.rita, accounts.rita, { name: 'Rita Co', profit: 50000, owner: rita }),
    group(customers.sam, accounts.sam, { name: 'Sam Co', profit: 40000, owner: sam }),
    group(customers.maria, accounts.maria, { name: 'Maria Co', profit: 30000, owner: maria }),
    // An unhappy customer in each book: a detractor signal, so each book has signals and a today list.
    ...owners.map((owner) => track(customers[owner], 'Survey Answered', { score: 2, comment: 'Nobody calls' })),
  ]);
  await advance(tend, 'PT1M');
}, 120_000);
afterAll(async () => tend?.stop());

describe('each role against each endpoint', () => {
  const cases = rows.flatMap((row) => callers.map((who) => ({ row, who, status: expectedFor(row, who) })));
  it.each(cases)('$row.method $row.path as $who: $status', async ({ row, who, status }) => {
    const answer = await request(people[who], row.method, row.path, row.body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    if ((status === 404 || status === 400) && row.unknown !== undefined) {
      // Outside the book, the answer is the one for an id nobody has: it does not confirm the record exists.
      const stranger = await request(people[who], row.method, row.unknown.path, row.unknown.body);
      expect(stranger.status).toBe(status);
      const [unknownId, id] = row.unknown.swap;
      expect(JSON.stringify(answer.body)).toBe(JSON.stringify(stranger.body).replaceAll(unknownId, id));
    }
  });
});

describe('lists hold the book and nothing else', () => {
  const books: Record<Who, readonly string[]> = {
    rita: [accounts.rita],
    sam: [accounts.sam],
    maria: [accounts.maria, accounts.rita],
    ada: Object.values(accounts),
    token: Object.values(accounts),
  };
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

  it.each(callers)('signals, events and the audit as %s', async (who) => {
    const caller = people[who];
    const signals = (await caller.get('/api/v1/signals?open=true')).body.signals as { accountId: string }[];
    expect(sorted(signals.map((signal) => signal.accountId))).toEqual(sorted(books[who]));
    const events = (await caller.get('/api/v1/events?limit=1000')).body.events as { accountId: string | null }[];
    const eventAccounts = events.flatMap((event) => (event.accountId === null ? [] : [event.accountId]));
    expect(sorted(eventAccounts)).toEqual(sorted(books[who]));
    if (who !== 'ada' && who !== 'token') expect(events.every((event) => event.accountId !== null)).toBe(true);
    const audit = (await caller.get('/api/v1/audit')).body;
    const audited = audit.accounts.map((account: { accountId: string }) => account.accountId);
    expect(sorted(audited)).toEqual(sorted(books[who]));
  });

  it.each(callers)('filters name nothing outside the book, as %s', async (who) => {
    const caller = people[who];
    const seesSam = books[who].includes(accounts.sam);
    const bySam = (await caller.get(`/api/v1/signals?ownerId=${sam}`)).body.signals;
    expect(bySam.length > 0).toBe(seesSam);
    const ofSamCo = (await caller.get(`/api/v1/events?accountId=${accounts.sam}`)).body.events;
    expect(ofSamCo.length > 0).toBe(seesSam);
    const ofSven = (await caller.get(`/api/v1/events?userId=${customers.sam}`)).body.events;
    expect(ofSven.length > 0).toBe(seesSam);
    const samsAudit = (await caller.get(`/api/v1/audit?ownerId=${sam}`)).body.accounts;
    expect(samsAudit.length > 0).toBe(seesSam);
  });

  it('users: a rep sees themself, a manager their team and themself, an admin everyone', async () => {
    const list = async (who: Who) => {
      const users = (await people[who].get('/api/v1/users')).body.users as { email: string }[];
      return sorted(users.map((user) => user.email));
    };
    expect(await list('rita')).toEqual([rita]);
    expect(await list('sam')).toEqual([sam]);
    expect(await list('maria')).toEqual([maria, rita]);
    expect(await list('ada')).toEqual(expect.arrayContaining([maria, rita, sam, 'ada@tend.example']));
  });

  it("a manager's oversight covers her book and her reps', not another team's", async () => {
    const oversight = (await people.maria.get(`/api/v1/users/${maria}/oversight`)).body;
    expect(oversight.reps.map((rep: { repEmail: string }) => rep.repEmail).sort()).toEqual([maria, rita]);
    const today = (await people.maria.get(`/api/v1/users/${rita}/today`)).body;
    expect(today.entries.map((entry: { accountId: string }) => entry.accountId)).toEqual([accounts.rita]);
  });

  it('a touch a rep logs is theirs: it counts as a conversation with the account', async () => {
    const meeting = { accountId: accounts.rita, channel: 'meeting', direction: 'outbound', twoWay: true };
    const logged = await people.rita.post('/api/v1/interactions', meeting);
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const audit = (await people.rita.get(`/api/v1/accounts/${accounts.rita}/audit`)).body;
    expect(audit.windows[0].byActor.rep).toBeGreaterThan(0);
    expect(audit.lastSubstantiveContactAt).not.toBeNull();
  });

  it("a rep cannot pin another book's customer to their account, nor log a touch as someone else", async () => {
    const sven = { accountId: accounts.rita, userId: customers.sam, channel: 'phone', direction: 'outbound' };
    const pinned = await people.rita.post('/api/v1/interactions', sven);
    expect(pinned.status, JSON.stringify(pinned.body)).toBe(400);
    const unknown = await people.rita.post('/api/v1/interactions', { ...sven, userId: unknownPerson });
    // Another book's customer reads as one Tend does not know.
    expect(JSON.stringify(unknown.body).replaceAll(unknownPerson, customers.sam)).toBe(JSON.stringify(pinned.body));
    const timeline = (await people.rita.get(`/api/v1/accounts/${accounts.rita}/timeline`)).body;
    expect(JSON.stringify(timeline)).not.toContain(customers.sam);
    const asSam = await people.rita.post('/api/v1/interactions', {
      accountId: accounts.rita,
      channel: 'meeting',
      direction: 'outbound',
      rep: sam,
    });
    expect(asSam.status).toBe(400);
    expect(asSam.body.errors[0].field).toBe('rep');
    const forHerRep = {
      accountId: accounts.rita,
      userId: customers.rita,
      channel: 'meeting',
      direction: 'outbound',
      rep: rita,
    };
    expect((await people.maria.post('/api/v1/interactions', forHerRep)).status).toBe(201);
  });
});

describe('every operation says what it answers', () => {
  const operations: readonly [string, string][] = [
    ['get', '/api/v1/users'],
    ['post', '/api/v1/users'],
    ['get', '/api/v1/users/{id}'],
    ['get', '/api/v1/users/{id}/today'],
    ['get', '/api/v1/users/{id}/oversight'],
    ['post', '/api/v1/interactions'],
    ['get', '/api/v1/signals'],
    ['get', '/api/v1/accounts/{accountId}'],
    ['get', '/api/v1/accounts/{accountId}/health'],
    ['get', '/api/v1/accounts/{accountId}/audit'],
    ['get', '/api/v1/audit'],
    ['get', '/api/v1/contacts/{userId}'],
    ['delete', '/api/v1/contacts/{userId}'],
    ['get', '/api/v1/contacts/{userId}/export'],
    ['get', '/api/v1/events'],
    ['get', '/api/v1/models/purchase'],
    ['get', '/api/v1/audit-log'],
    ['get', '/api/v1/write-keys'],
    ['post', '/api/v1/write-keys'],
    ['post', '/api/v1/write-keys/{prefix}/revoke'],
    ['get', '/api/v1/clock'],
    ['post', '/api/v1/clock/advance'],
  ];

  it.each(operations)('%s %s declares a 2xx response', async (method, path) => {
    const document = (await (await fetch(`${tend.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    const responses = Object.keys(document.paths[path]?.[method]?.responses ?? {});
    expect(
      responses.some((status) => /^2\d\d$/.test(status)),
      `${method} ${path}: ${responses.join(', ')}`,
    ).toBe(true);
  });
});
