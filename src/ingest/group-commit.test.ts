import { describe, expect, it } from 'vitest';
import type { TrackingMessage } from '../domain/tracking-message.js';
import type { TrackingRequestToStore } from '../store/tracking-writer.js';
import { GroupCommitter } from './group-commit.js';

const request = (name: string, size = 1): TrackingRequestToStore => ({
  sourceId: 'source',
  receivedAt: new Date(0),
  messages: Array.from(
    { length: size },
    (_, index) =>
      ({
        type: 'track',
        event: name,
        messageId: `${name}-${index}`,
        userId: 'u',
        anonymousId: null,
        timestamp: null,
        context: {},
        properties: {},
      }) as TrackingMessage,
  ),
});

const twoWriters =
  'with two writers, a request does not wait for the group in flight, and a third waits for a free writer';

describe('group commit', () => {
  it('writes requests that arrive during a write together, and answers each with its own outcome', async () => {
    const groups: string[][] = [];
    let release: () => void = () => {};
    const committer = new GroupCommitter(async (requests) => {
      groups.push(requests.map((item) => (item.messages[0] as { event: string }).event));
      if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map((item) => ({ stored: item.messages.length, duplicates: 0, engineWork: 'none' as const }));
    });
    const first = committer.submit(request('a'));
    const rest = [committer.submit(request('b', 2)), committer.submit(request('c', 3))];
    release();
    expect(await first).toEqual({ stored: 1, duplicates: 0, engineWork: 'none' });
    expect(await Promise.all(rest)).toEqual([
      { stored: 2, duplicates: 0, engineWork: 'none' },
      { stored: 3, duplicates: 0, engineWork: 'none' },
    ]);
    expect(groups).toEqual([['a'], ['b', 'c']]);
  });

  it('when a group fails, retries its requests one by one so only the bad one fails', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const committer = new GroupCommitter(async (requests) => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (requests.some((item) => (item.messages[0] as { event: string }).event === 'bad'))
        throw new Error('constraint violated');
      return requests.map(() => ({ stored: 1, duplicates: 0, engineWork: 'none' as const }));
    });
    const first = committer.submit(request('a'));
    const good = committer.submit(request('good'));
    const bad = committer.submit(request('bad'));
    release();
    await first;
    await expect(good).resolves.toEqual({ stored: 1, duplicates: 0, engineWork: 'none' });
    await expect(bad).rejects.toThrow('constraint violated');
  });

  it('when a group fails because the database is unavailable, fails all its requests at once, none alone', async () => {
    let release: () => void = () => {};
    const groups: string[][] = [];
    const committer = new GroupCommitter(async (requests) => {
      groups.push(requests.map((item) => (item.messages[0] as { event: string }).event));
      if (groups.length === 1) {
        await new Promise<void>((resolve) => (release = resolve));
        return requests.map(() => ({ stored: 1, duplicates: 0, engineWork: 'none' as const }));
      }
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    });
    const first = committer.submit(request('a'));
    const rest = [committer.submit(request('b')), committer.submit(request('c'))];
    release();
    await first;
    for (const answer of rest) await expect(answer).rejects.toMatchObject({ code: '57P01' });
    expect(groups).toEqual([['a'], ['b', 'c']]);
  });

  it('keeps a group within the event limit', async () => {
    const sizes: number[] = [];
    let release: () => void = () => {};
    const committer = new GroupCommitter(async (requests) => {
      sizes.push(requests.reduce((sum, item) => sum + item.messages.length, 0));
      if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map(() => ({ stored: 1, duplicates: 0, engineWork: 'none' as const }));
    }, 10);
    const all = [
      committer.submit(request('a')),
      ...Array.from({ length: 5 }, (_, index) => committer.submit(request(`n${index}`, 4))),
    ];
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 8, 8, 4]);
  });

  it(twoWriters, async () => {
    const groups: string[][] = [];
    const releases: (() => void)[] = [];
    const committer = new GroupCommitter(
      async (requests) => {
        groups.push(requests.map((item) => (item.messages[0] as { event: string }).event));
        await new Promise<void>((resolve) => releases.push(resolve));
        return requests.map((item) => ({ stored: item.messages.length, duplicates: 0, engineWork: 'none' as const }));
      },
      5000,
      2,
    );
    const slow = committer.submit(request('slow'));
    const quick = committer.submit(request('quick'));
    const later = [committer.submit(request('later-1')), committer.submit(request('later-2'))];
    await Promise.resolve();
    expect(groups).toEqual([['slow'], ['quick']]);
    releases[1]!();
    expect(await quick).toEqual({ stored: 1, duplicates: 0, engineWork: 'none' });
    // The freed writer takes everything that waited, while the first group is still in flight.
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([['slow'], ['quick'], ['later-1', 'later-2']]);
    releases[2]!();
    expect(await Promise.all(later)).toEqual([
      { stored: 1, duplicates: 0, engineWork: 'none' },
      { stored: 1, duplicates: 0, engineWork: 'none' },
    ]);
    releases[0]!();
    expect(await slow).toEqual({ stored: 1, duplicates: 0, engineWork: 'none' });
  });
});
