// Everything that happened with an account, newest first — events, touches, messages and replies, tasks,
// signals raised and cleared — filtered by kind and paged; both in the URL (`kinds`, `cursor`).
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { dateTime, datesInWords, words } from './format';
import { cursorOf, cursorPager, PagedTable, withQuery } from './paged-table';
import { QueryState } from './query-state';
import { useSignalWords } from './signal-words';

type Entry = Reply<'/api/v1/accounts/{accountId}/timeline'>['items'][number];
type Kind = Entry['kind'];

const kinds = {
  touch: 'Calls, meetings, e-mails',
  message: "Tend's messages and replies",
  task: 'Tasks',
  signal: 'Signals',
  event: 'Other events',
} as const satisfies Record<Kind, string>;
const allKinds = Object.keys(kinds) as Kind[];

/** The calls of Segment's API that change what Tend knows, as a person would say what happened. */
const eventNames: Record<string, string> = {
  Group: 'Account details updated',
  Identify: 'Contact details updated',
};

/** A signal's line starts with its kind ("neglected: …", "detractor cleared …"): said in words. */
function summaryInWords(entry: Entry, signalWord: (kind: string) => string): string {
  const summary = datesInWords(entry.summary ?? '');
  if (entry.kind !== 'signal') return summary;
  return summary.replace(/^([a-z-]+)\b/, signalWord);
}

export function AccountTimeline({ accountId }: { accountId: string }) {
  const [location, navigate] = useLocation();
  const search = useSearch();
  const signalWords = useSignalWords();
  const chosen = (new URLSearchParams(search).get('kinds') ?? '')
    .split(',')
    .filter((kind): kind is Kind => kind in kinds);
  const cursor = cursorOf(search);
  const timeline = useQuery({
    queryKey: ['account', accountId, 'timeline', chosen.join(','), cursor],
    queryFn: () =>
      answer(
        api.GET('/api/v1/accounts/{accountId}/timeline', {
          params: {
            path: { accountId },
            query: {
              limit: 50,
              ...(chosen.length === 0 ? {} : { kinds: chosen.join(',') }),
              ...(cursor === null ? {} : { cursor }),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const picked = new FormData(event.currentTarget).getAll('kind').map(String);
    const kindsParameter = picked.length === allKinds.length ? null : picked.join(',');
    navigate(withQuery(location, search, { kinds: kindsParameter, cursor: null, trail: null }), { replace: true });
  };
  return (
    <>
      <form className="filters" onSubmit={filter} aria-label="Filter the timeline" key={chosen.join(',')}>
        <fieldset>
          <legend>Show</legend>
          <div className="choices">
            {allKinds.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  name="kind"
                  value={kind}
                  defaultChecked={chosen.length === 0 || chosen.includes(kind)}
                />{' '}
                {kinds[kind]}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="quiet">
          Filter the timeline
        </button>
      </form>
      <QueryState query={timeline} what="the timeline">
        {(page) =>
          page.items.length === 0 ? (
            <p>Nothing of these kinds happened with this account yet.</p>
          ) : (
            <PagedTable<Entry>
              caption="Timeline, newest first"
              rows={page.items}
              rowKey={(entry) => `${entry.kind}:${entry.id}`}
              pager={cursorPager(location, search, page.next)}
              columns={[
                { header: 'When', cell: (entry) => <time dateTime={entry.at}>{dateTime(entry.at)}</time> },
                { header: 'What', cell: (entry) => eventNames[entry.name] ?? entry.name },
                { header: 'Details', cell: (entry) => summaryInWords(entry, signalWords.word) },
                { header: 'Who', cell: (entry) => entry.person?.name ?? entry.person?.email ?? entry.person?.id ?? '' },
                {
                  header: 'By',
                  cell: (entry) => (entry.by === null ? '' : entry.by.includes('@') ? entry.by : words(entry.by)),
                },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}
