// A playbook's runs in progress for the accounts of one's book, newest first, with the step each is at
// and when it moves on; paged by the server, the page in the URL.
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { dateTime, words } from './format';
import { cursorOf, cursorPager, PagedTable } from './paged-table';
import { QueryState } from './query-state';

type Run = Reply<'/api/v1/playbooks/{id}/runs'>['items'][number];

export function PlaybookRuns({ playbookId }: { playbookId: string }) {
  const [location] = useLocation();
  const search = useSearch();
  const cursor = cursorOf(search);
  const runs = useQuery({
    queryKey: ['playbook', playbookId, 'runs', cursor],
    queryFn: () =>
      answer(
        api.GET('/api/v1/playbooks/{id}/runs', {
          params: { path: { id: playbookId }, query: { limit: 25, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  return (
    <QueryState query={runs} what="the runs in progress">
      {(page) =>
        page.items.length === 0 ? (
          <p>No run of this playbook is in progress for your accounts.</p>
        ) : (
          <PagedTable<Run>
            caption="Runs in progress, newest first"
            rows={page.items}
            rowKey={(run) => run.id}
            pager={cursorPager(location, search, page.next)}
            columns={[
              {
                header: 'Account',
                cell: (run) =>
                  run.accountId === null ? (
                    '—'
                  ) : (
                    <Link href={`/accounts/${encodeURIComponent(run.accountId)}`}>
                      {run.accountName ?? run.accountId}
                    </Link>
                  ),
              },
              { header: 'Person', cell: (run) => run.contactName ?? run.contactId ?? '—' },
              { header: 'Group', cell: (run) => (run.group === 'treated' ? 'Treated' : 'Held out') },
              { header: 'Entered', cell: (run) => <time dateTime={run.enteredAt}>{dateTime(run.enteredAt)}</time> },
              {
                header: 'At step',
                cell: (run) =>
                  run.stepId === null
                    ? 'finished its steps'
                    : `${run.stepId}${run.stepKind === null ? '' : ` (${words(run.stepKind).toLowerCase()})`}`,
              },
              {
                header: 'Moves on',
                cell: (run) =>
                  run.awaitingEvent !== null
                    ? `when "${run.awaitingEvent}" happens`
                    : run.nextDueAt === null
                      ? '—'
                      : dateTime(run.nextDueAt),
              },
            ]}
          />
        )
      }
    </QueryState>
  );
}
