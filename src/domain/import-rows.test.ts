import { describe, expect, it } from 'vitest';
import { readImportRow } from './import-rows.js';
import { defaultEventTimeWindow } from './time-limits.js';

const times = { now: new Date('2026-05-04T09:00:00Z'), window: defaultEventTimeWindow };
const call = { id: 'i-1', accountId: 'acme', channel: 'phone', direction: 'outbound', occurredAt: '2026-05-01T10:00Z' };
const refused = (reason: RegExp) => ({ ok: false, reason: expect.stringMatching(reason) as unknown as string });

describe('readImportRow refuses what cannot be stored, naming the column', () => {
  it('a NUL or a lone surrogate in a cell, or in a column name', () => {
    expect(readImportRow('interactions', { ...call, summary: 'asked\u0000' }, times)).toEqual(
      refused(/^summary contains a NUL character/),
    );
    expect(readImportRow('contacts', { userId: 'ann', name: 'Ann\ud800' }, times)).toEqual(
      refused(/^name contains a lone UTF-16 surrogate/),
    );
    expect(readImportRow('accounts', { id: 'acme', 'Region\u0000': 'EU' }, times)).toEqual(
      refused(/^\["Region\\u0000"\] is a key that contains a NUL/),
    );
  });

  it('an interaction dated outside the event window, and an account created outside the years 1 to 9999', () => {
    expect(readImportRow('interactions', { ...call, occurredAt: '2019-03-01' }, times)).toEqual(
      refused(/^occurredAt is 2019-03-01T00:00:00\.000Z, more than 1826 days before now/),
    );
    expect(readImportRow('interactions', { ...call, occurredAt: '-271821-04-20T00:00:00Z' }, times)).toEqual(
      refused(/^occurredAt is -271821-04-20.*before now/),
    );
    expect(readImportRow('interactions', { ...call, occurredAt: '2026-05-06T00:00:00Z' }, times)).toEqual(
      refused(/more than 24 hours after now/),
    );
    expect(readImportRow('accounts', { id: 'acme', createdAt: '+010000-01-01T00:00:00Z' }, times)).toEqual(
      refused(/^createdAt is \+010000-01-01.*not between the years 1 and 9999/),
    );
  });

  it('accepts the same rows when they are ordinary, an old account included', () => {
    expect(readImportRow('interactions', { ...call, summary: 'asked about SSO' }, times).ok).toBe(true);
    const account = { id: 'acme', createdAt: '1998-01-01', owner: 'rita@yourco.example' };
    expect(readImportRow('accounts', account, times).ok).toBe(true);
  });
});

describe('readImportRow reads how an account was won', () => {
  it('keeps the acquisition columns as traits in the form the retention report reads', () => {
    const row = {
      id: 'acme',
      acquiredAt: '2025-11-03',
      acquiredBy: 'Sam@YourCo.example',
      acquisitionChannel: 'partner',
      campaign: 'spring-fair',
      region: 'EU',
    };
    const verdict = readImportRow('accounts', row, times);
    expect(verdict).toMatchObject({
      ok: true,
      row: {
        traits: {
          region: 'EU',
          acquiredAt: '2025-11-03T00:00:00.000Z',
          acquiredBy: 'sam@yourco.example',
          acquisitionChannel: 'partner',
          campaign: 'spring-fair',
        },
      },
    });
  });

  it('refuses a row whose acquiredAt is not a date, or whose seller is not an e-mail, naming the column', () => {
    expect(readImportRow('accounts', { id: 'acme', acquiredAt: '31/02/2026' }, times)).toEqual(
      refused(/^acquiredAt is not a date: "31\/02\/2026" \(use YYYY-MM-DD/),
    );
    expect(readImportRow('accounts', { id: 'acme', acquiredBy: 'Sam' }, times)).toEqual(
      refused(/^acquiredBy must be the seller's e-mail address/),
    );
  });
});
