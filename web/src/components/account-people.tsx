// The people of an account: how to reach them, the channel each answers on, their consents, and whether
// they are on the do-not-contact list.
import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { share, words } from './format';
import { cursorOf, cursorPager, PagedTable } from './paged-table';
import { QueryState } from './query-state';

type Person = Reply<'/api/v1/accounts/{accountId}/people'>['items'][number];

/** Channels as people name them ("Sms" is nobody's word). */
const channelNames: Record<string, string> = { email: 'E-mail', sms: 'Text message', whatsapp: 'WhatsApp' };
const channelName = (channel: string): string => channelNames[channel] ?? words(channel);

const consentWords = { 'opted-in': 'yes', 'opted-out': 'no (opted out)', unknown: 'not asked' } as const;

export function AccountPeople({ accountId }: { accountId: string }) {
  const [location] = useLocation();
  const search = useSearch();
  const cursor = cursorOf(search, 'people');
  const people = useQuery({
    queryKey: ['account', accountId, 'people', cursor],
    queryFn: () =>
      answer(
        api.GET('/api/v1/accounts/{accountId}/people', {
          params: { path: { accountId }, query: { limit: 25, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
  });
  return (
    <QueryState query={people} what="the people">
      {(page) =>
        page.items.length === 0 ? (
          <p>Tend knows nobody at this account yet: people come with identify and group calls, or a contacts import.</p>
        ) : (
          <PagedTable<Person>
            caption="People at the account"
            rows={page.items}
            rowKey={(person) => person.id}
            pager={cursorPager(location, search, page.next, 'people')}
            columns={[
              {
                header: 'Person',
                cell: (person) => (
                  <>
                    {person.name ?? person.id}
                    {person.doNotContact && <span className="tag severe"> Do not contact</span>}
                    <br />
                    <span className="hint">
                      {[person.email, person.phone].filter(Boolean).join(' · ') || 'no address'}
                    </span>
                  </>
                ),
              },
              {
                header: 'Language, time zone',
                cell: (person) => [person.language, person.timezone].filter(Boolean).join(', ') || '—',
              },
              {
                header: 'Answers best on',
                cell: (person) => {
                  const best = person.channelPreference.channels[0];
                  const chance = best ? ` (${share(best.expectedResponse)} chance of an answer)` : '';
                  return `${channelName(person.channelPreference.best)}${chance}`;
                },
              },
              {
                header: 'May we write',
                cell: (person) =>
                  person.consents
                    .map((consent) => `${channelName(consent.channel)}: ${consentWords[consent.status]}`)
                    .join('; ') || '—',
              },
            ]}
          />
        )
      }
    </QueryState>
  );
}
