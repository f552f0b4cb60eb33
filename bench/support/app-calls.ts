// The API calls each page of the app makes (web/src/pages, web/src/components), per role, with the
// parameters the pages send, and their timing for the app benchmark: a warm-up, then repetitions one at
// a time, in rounds that go through every call so that each round sees the machine as it was then.
import { quantile } from './load-client.js';
import { type AppClient, expectJson } from './app-client.js';

export type Role = 'rep' | 'manager' | 'admin';

export interface AppCall {
  readonly page: string;
  readonly name: string;
  readonly path: string;
}

export interface Viewer {
  readonly role: Role;
  readonly client: AppClient;
  readonly calls: readonly AppCall[];
}

/** What the calls are about: chosen from the data so that each role's calls find something. */
export interface CallSubjects {
  /** The rep with the largest book, and their manager. */
  readonly repEmail: string;
  readonly managerEmail: string;
  /** An account of the rep's (the one with the most events), in every role's book. */
  readonly accountId: string;
  /** The playbook with the most runs in progress. */
  readonly playbookId: string;
  /** A name search with a few matches, and one with many (the beginnings of words, as typed). */
  readonly fewMatches: string;
  readonly manyMatches: string;
}

const encoded = encodeURIComponent;

/** The cursor of a list's second page, as the page's "Next" link carries it. */
async function nextCursor(client: AppClient, path: string): Promise<string> {
  const page = expectJson<{ next: string | null }>(await client.get(path), 200, path);
  if (page.next === null) throw new Error(`${path} has one page only: no next page to time`);
  return page.next;
}

/** Every page's calls for one role, in the order the pages are listed in the navigation. */
export async function callsOf(role: Role, client: AppClient, subjects: CallSubjects): Promise<AppCall[]> {
  const { repEmail, managerEmail, accountId, playbookId } = subjects;
  // A rep's own today list; a manager or an admin opens the same rep's (Today's rep picker, `?rep=`).
  const whose = encoded(repEmail);
  const own = client.email;
  const calls: AppCall[] = [
    { page: 'every page', name: 'who is signed in', path: '/api/v1/me' },
    { page: 'every page', name: "the business's clock", path: '/api/v1/clock' },
    {
      page: 'Today',
      name: role === 'rep' ? 'today list' : "a rep's today list (?rep=)",
      path: `/api/v1/users/${whose}/today`,
    },
    { page: 'Today', name: 'open tasks', path: `/api/v1/tasks?ownerId=${whose}&status=open&limit=100` },
  ];
  if (role === 'admin') calls.push({ page: 'Today', name: 'people to pick from', path: '/api/v1/users' });
  const list = '/api/v1/accounts?limit=50';
  const byValue = `${list}&sort=value`;
  const valueCursor = encoded(await nextCursor(client, byValue));
  calls.push(
    { page: 'Accounts', name: 'default (value)', path: byValue },
    { page: 'Accounts', name: 'next page (cursor)', path: `${byValue}&cursor=${valueCursor}` },
    ...[subjects.fewMatches, subjects.manyMatches].map((typed) => ({
      page: 'Accounts',
      name: `search "${typed}"`,
      path: `${byValue}&q=${encoded(typed)}`,
    })),
  );
  if (role !== 'rep') {
    calls.push({ page: 'Accounts', name: 'filter by owner', path: `${byValue}&ownerId=${encoded(repEmail)}` });
  }
  calls.push(
    { page: 'Accounts', name: 'filter by tier A', path: `${byValue}&tier=A` },
    { page: 'Accounts', name: 'filter by signal (neglected)', path: `${byValue}&signal=neglected` },
    { page: 'Accounts', name: 'filter by signal (detractor)', path: `${byValue}&signal=detractor` },
    { page: 'Accounts', name: 'sort by health', path: `${list}&sort=health` },
    { page: 'Accounts', name: 'sort by days since contact', path: `${list}&sort=days-since-contact` },
  );
  const account = `/api/v1/accounts/${encoded(accountId)}`;
  const timeline = `${account}/timeline?limit=50`;
  const timelineCursor = encoded(await nextCursor(client, timeline));
  calls.push(
    { page: 'Account', name: 'summary', path: `${account}/summary` },
    { page: 'Account', name: 'health', path: `${account}/health` },
    { page: 'Account', name: 'contact audit', path: `${account}/audit` },
    { page: 'Account', name: 'timeline, first page', path: timeline },
    { page: 'Account', name: 'timeline, touches and signals', path: `${timeline}&kinds=touch%2Csignal` },
    { page: 'Account', name: 'timeline, next page', path: `${timeline}&cursor=${timelineCursor}` },
    { page: 'Account', name: 'people', path: `${account}/people?limit=25` },
  );
  if (role === 'manager') calls.push({ page: 'Oversight', name: 'my team', path: '/api/v1/oversight' });
  if (role === 'admin') {
    calls.push(
      { page: 'Oversight', name: 'the whole company', path: '/api/v1/oversight' },
      { page: 'Oversight', name: "a manager's team", path: `/api/v1/oversight?managerId=${encoded(managerEmail)}` },
      { page: 'Oversight', name: 'people to pick from', path: '/api/v1/users' },
    );
  }
  const mine = role === 'rep' ? `ownerId=${encoded(own)}&` : '';
  calls.push(
    { page: 'Tasks', name: 'mine (open)', path: `/api/v1/tasks?ownerId=${encoded(own)}&status=open&limit=200` },
    { page: 'Tasks', name: 'overdue', path: `/api/v1/tasks?${mine}status=open&overdue=true&limit=200` },
  );
  if (role !== 'rep') {
    // The page asks for the book's open tasks and keeps those escalated to the viewer; the API can also
    // be asked for them alone (escalatedTo=me).
    calls.push(
      { page: 'Tasks', name: 'escalated to me (as the page asks)', path: '/api/v1/tasks?status=open&limit=200' },
      {
        page: 'Tasks',
        name: 'escalated to me (escalatedTo=me)',
        path: '/api/v1/tasks?escalatedTo=me&status=open&limit=200',
      },
    );
  }
  const playbook = `/api/v1/playbooks/${encoded(playbookId)}`;
  calls.push(
    { page: 'Tasks', name: 'done', path: `/api/v1/tasks?ownerId=${encoded(own)}&status=done&limit=200` },
    { page: 'Playbooks', name: 'list', path: '/api/v1/playbooks' },
    { page: 'Playbook', name: 'definition', path: playbook },
    { page: 'Playbook', name: 'results', path: `${playbook}/results` },
    { page: 'Playbook', name: 'runs in progress', path: `${playbook}/runs?limit=25` },
    { page: 'Outbox', name: 'newest 50', path: '/api/v1/outbox?limit=50' },
  );
  if (role === 'admin') {
    calls.push(
      { page: 'Settings', name: 'people', path: '/api/v1/users' },
      { page: 'Settings', name: 'write keys', path: '/api/v1/write-keys' },
      { page: 'Settings', name: 'policy', path: '/api/v1/policy' },
    );
  }
  return calls;
}

export interface TimingOptions {
  readonly warmUp: number;
  readonly repetitions: number;
  readonly rounds: number;
  /** A call slower than this budget per round gets fewer repetitions (at least `minimum`). */
  readonly secondsPerCall: number;
  readonly minimum: number;
}

export interface CallFigures {
  readonly role: Role;
  readonly call: AppCall;
  /** Per round: p50, p95, p99 (ms) and how many repetitions. */
  readonly rounds: { p50: number; p95: number; p99: number; count: number }[];
  readonly bytes: number;
}

/** Times every call of every viewer, round after round; a call that does not answer 200 stops the benchmark. */
export async function timeCalls(
  viewers: readonly Viewer[],
  options: TimingOptions,
  log: (text: string) => void,
): Promise<CallFigures[]> {
  const figures = viewers.flatMap((viewer) =>
    viewer.calls.map((call): CallFigures => ({ role: viewer.role, call, rounds: [], bytes: 0 })),
  );
  const once = async (client: AppClient, call: AppCall): Promise<{ milliseconds: number; bytes: number }> => {
    const answer = await client.get(call.path);
    if (answer.status !== 200) {
      throw new Error(`${client.email}: ${call.path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    return { milliseconds: answer.milliseconds, bytes: Buffer.byteLength(answer.text) };
  };
  for (let round = 0; round < options.rounds; round++) {
    const began = performance.now();
    let index = 0;
    for (const viewer of viewers) {
      for (const call of viewer.calls) {
        const entry = figures[index++]!;
        for (let warm = 0; warm < options.warmUp; warm++) await once(viewer.client, call);
        const latencies: number[] = [];
        const callBegan = performance.now();
        while (latencies.length < options.repetitions) {
          const { milliseconds, bytes } = await once(viewer.client, call);
          latencies.push(milliseconds);
          (entry as { bytes: number }).bytes = bytes;
          const overBudget = performance.now() - callBegan > options.secondsPerCall * 1000;
          if (overBudget && latencies.length >= options.minimum) break;
        }
        const sorted = Float64Array.from(latencies).sort();
        const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => quantile(sorted, q)) as [number, number, number];
        entry.rounds.push({ p50, p95, p99, count: sorted.length });
      }
    }
    log(`round ${round + 1} of ${options.rounds}: ${((performance.now() - began) / 1000).toFixed(0)} s`);
  }
  return figures;
}

/** The median of the rounds' figures. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
