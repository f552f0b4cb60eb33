// Write keys through the admin API and the Tracking API: created (answered once, 4 characters of the
// secret kept in clear), listed, revoked (refused within 10 s of process time, recorded in the audit
// log); browser keys that may report what people do but not set an owner, money or an account; and a
// wrong key in the header refused before the body is read.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import * as revocableKeys from '../../src/store/migrations/0017-revocable-keys.js';
import { addWriteKey } from '../../src/store/secrets.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date());
let tend: TestTend;

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock } });
});
afterAll(async () => tend?.stop());

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function send(path: string, body: unknown, key: string): Promise<{ status: number; body: any }> {
  // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field
  return tend.track(path, body, { authorization: basic(key) });
}

async function createKey(source: string, kind?: string): Promise<{ key: string; prefix: string }> {
  const created = await tend.post('/api/v1/write-keys', { source, ...(kind === undefined ? {} : { kind }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { key: created.body.key, prefix: created.body.writeKey.prefix };
}

const revoke = (prefix: string) => tend.post(`/api/v1/write-keys/${encodeURIComponent(prefix)}/revoke`, {});

async function storedEvents(userId: string): Promise<number> {
  const answer = await tend.admin(`/api/v1/events?userId=${userId}&limit=1000`);
  expect(answer.status).toBe(200);
  return answer.body.events.length;
}

describe('write keys through the admin API', () => {
  it('creates a key answered once, lists it, revokes it: refused within 10 s, in the audit log', async () => {
    const { key, prefix } = await createKey('billing');
    expect(key).toMatch(/^wk_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(key.slice(0, 7));

    const listed = await tend.admin('/api/v1/write-keys');
    expect(listed.status).toBe(200);
    expect(listed.body.writeKeys).toContainEqual({
      prefix,
      source: 'billing',
      kind: 'server',
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(key);

    expect((await send('/v1/track', { userId: 'bill', event: 'Invoice Paid' }, key)).status).toBe(200);
    const revoked = await revoke(prefix);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.writeKey).toMatchObject({ prefix, source: 'billing', revokedAt: expect.any(String) });

    // The running server trusted the key a moment ago; within 10 s of process time it no longer does.
    expect((await send('/v1/track', { userId: 'bill', event: 'Invoice Paid' }, key)).status).toBe(200);
    processClock.advanceBy(10_000);
    const refused = await send('/v1/track', { userId: 'bill', event: 'Invoice Paid' }, key);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('revoked');
    expect((await send('/v1/track', { userId: 'bill', event: 'Invoice Paid', writeKey: key }, 'wk_none')).status).toBe(
      401,
    );

    const again = await revoke(prefix);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('only revoked write keys');

    const audit = await tend.admin(`/api/v1/audit-log?subject=${encodeURIComponent(prefix)}`);
    const entries = audit.body.entries.map((entry: { action: string; actor: string; details: object }) => [
      entry.action,
      entry.actor,
      entry.details,
    ]);
    expect(entries).toEqual([
      ['write-key.revoked', 'admin token "TEND_ADMIN_TOKEN"', { source: 'billing', kind: 'server' }],
      ['write-key.created', 'admin token "TEND_ADMIN_TOKEN"', { source: 'billing', kind: 'server' }],
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(key);
  });

  it('refuses a prefix that fits several working keys, naming them, and one that fits none', async () => {
    const first = await createKey('mobile');
    const second = await createKey('mobile');
    const ambiguous = await revoke('wk_');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.message).toContain(first.prefix);
    expect(ambiguous.body.message).toContain(second.prefix);
    expect(ambiguous.body.message).toContain('source "mobile"');
    const unknown = await revoke('zz9z');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('No write key fits "zz9z"');
    const tooLong = await revoke(first.key.slice(0, 20));
    expect(tooLong.status).toBe(400); // no whole key in a URL
    for (const key of [first.key, second.key])
      expect((await send('/v1/track', { userId: 'mo', event: 'Signed In' }, key)).status).toBe(200);
  });

  it('keeps 4 characters of a key in clear (after wk_ if generated); the migration cuts older prefixes', async () => {
    const database = tend.tend.store.database;
    const chosen = `chosen-${randomBytes(8).toString('hex')}`;
    await addWriteKey(database, 'chosen', chosen);
    const { prefix } = await createKey('generated');
    const prefixes = await database.selectFrom('write_keys').select('key_prefix').execute();
    expect(prefixes.map((row) => row.key_prefix)).toContain('chos');
    expect(prefixes.map((row) => row.key_prefix)).toContain(prefix);
    for (const row of prefixes) expect(row.key_prefix.replace(/^wk_/, '').length).toBeLessThanOrEqual(4);

    // As versions before 0017 stored them: 10 characters.
    await sql`update write_keys set key_prefix = 'chosen-abc' where key_prefix = 'chos'`.execute(database);
    await sql`update write_keys set key_prefix = ${`${prefix}xyz`} where key_prefix = ${prefix}`.execute(database);
    const untyped = database as unknown as Kysely<unknown>;
    await revocableKeys.down(untyped);
    await revocableKeys.up(untyped);
    const after = await database.selectFrom('write_keys').select('key_prefix').execute();
    expect(after.map((row) => row.key_prefix)).toEqual(expect.arrayContaining(['chos', prefix]));
  });
});

describe('browser write keys', () => {
  let browserKey: string;
  beforeAll(async () => {
    browserKey = (await createKey('web', 'browser')).key;
  });

  it('may send track, page, screen and identify with a person’s own traits', async () => {
    expect(
      (await send('/v1/identify', { userId: 'bea', traits: { email: 'bea@acme.example', name: 'Bea' } }, browserKey))
        .status,
    ).toBe(200);
    expect((await send('/v1/track', { userId: 'bea', event: 'Feature Used' }, browserKey)).status).toBe(200);
    expect((await send('/v1/page', { userId: 'bea', name: 'Pricing' }, browserKey)).status).toBe(200);
    const batch = [
      { type: 'screen', userId: 'bea', name: 'Home' },
      { type: 'track', userId: 'bea', event: 'Signed In' },
    ];
    expect((await send('/v1/batch', { batch }, browserKey)).status).toBe(200);
    expect(await storedEvents('bea')).toBe(5);
  });

  it('may not set an owner, money or an account: 403 naming the trait or call, nothing stored', async () => {
    const owner = await send(
      '/v1/identify',
      { userId: 'eve', traits: { email: 'eve@acme.example', owner: 'eve@evil.example' } },
      browserKey,
    );
    expect(owner.status).toBe(403);
    expect(owner.body.error).toBe('forbidden');
    expect(owner.body.errors).toEqual([
      { field: 'traits.owner', message: expect.stringContaining('server-side source') },
    ]);
    expect((await tend.admin('/api/v1/contacts/eve')).status).toBe(404);

    const group = await send('/v1/group', { userId: 'bea', groupId: 'acme', traits: { revenue: 1 } }, browserKey);
    expect(group.status).toBe(403);
    expect(group.body.errors).toEqual([
      { field: 'type', message: expect.stringContaining('group calls may not be sent with a browser write key') },
    ]);
    expect((await tend.admin('/api/v1/accounts/acme')).status).toBe(404);

    const batch = [
      { type: 'track', userId: 'eve', event: 'Signed In' },
      { type: 'identify', userId: 'eve', traits: { revenue: 99000, lifecycleStage: 'churned' } },
      { type: 'alias', userId: 'eve', previousId: 'bea' },
    ];
    const mixed = await send('/v1/batch', { batch }, browserKey);
    expect(mixed.status).toBe(403);
    expect(mixed.body.errors.map((problem: { field: string }) => problem.field)).toEqual([
      'batch[1].traits.revenue',
      'batch[1].traits.lifecycleStage',
      'batch[2].type',
    ]);
    expect(mixed.body.message).toContain('Nothing was stored');
    expect(await storedEvents('eve')).toBe(0);
    // A server key may still send all of it.
    expect(
      (await send('/v1/group', { userId: 'bea', groupId: 'acme', traits: { revenue: 1 } }, tend.writeKey)).status,
    ).toBe(200);
  });
});

describe('a write key in the header is checked before the body is read', () => {
  // Not gzip at all: a body that reached the decompressor would be answered 400.
  const notGzip = randomBytes(400 * 1024);
  const post = (key: string) =>
    fetch(`${tend.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basic(key), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: notGzip,
    });

  it('answers 401 to a wrong key with a 400 KB body that cannot be decompressed, 400 to the right key', async () => {
    const wrong = await post(`wk_wrong_${randomBytes(8).toString('hex')}`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'unauthorized', errors: [{ field: 'writeKey' }] });
    const right = await post(tend.writeKey);
    expect(right.status).toBe(400);
    // The same wrong key again, answered from memory, still 401.
    expect((await post('wk_wrong_again_0123456789')).status).toBe(401);
    expect((await post('wk_wrong_again_0123456789')).status).toBe(401);
  });
});
