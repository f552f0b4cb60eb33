// `/playbooks`: each playbook with its trigger, status and, in short, what it did against its holdout
// group; each links to its page with the full results and the runs in progress.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { EmptyState } from '../components/empty-state';
import { count, share } from '../components/format';
import { PageTitle } from '../components/layout';
import { PagedTable } from '../components/paged-table';
import { triggerWords } from '../components/playbook-words';
import { QueryState } from '../components/query-state';
import type { Reply } from '../api/types';

type Playbook = Reply<'/api/v1/playbooks'>['playbooks'][number];

const rate = (part: number, whole: number): string => (whole === 0 ? '—' : share(part / whole));

export function PlaybooksPage() {
  const playbooks = useQuery({ queryKey: ['playbooks'], queryFn: () => answer(api.GET('/api/v1/playbooks')) });
  return (
    <>
      <PageTitle title="Playbooks">Playbooks</PageTitle>
      <p className="lead">
        What Tend does on its own when it notices something, and whether it helps: each playbook holds out a share of
        the customers it would act on, and compares.
      </p>
      <QueryState query={playbooks} what="the playbooks">
        {(list) =>
          list.playbooks.length === 0 ? (
            <EmptyState title="No playbooks">
              <p>
                Tend runs the playbooks in {list.folder === null ? 'its playbooks folder' : <code>{list.folder}</code>}.
                There are none there yet. Copy one from <code>examples/playbooks</code> and restart Tend.
              </p>
            </EmptyState>
          ) : (
            <PagedTable<Playbook>
              caption="Playbooks"
              rowKey={(playbook) => playbook.id}
              rows={list.playbooks}
              columns={[
                {
                  header: 'Playbook',
                  cell: (playbook) => (
                    <>
                      <Link href={`/playbooks/${encodeURIComponent(playbook.id)}`}>{playbook.name}</Link>
                      <p className="hint">{playbook.description}</p>
                    </>
                  ),
                },
                { header: 'Starts', cell: (playbook) => triggerWords(playbook.trigger) },
                { header: 'Status', cell: (playbook) => (playbook.enabled ? 'On' : 'Off') },
                { header: 'Entered (treated / held out)', numeric: true, cell: (playbook) => entered(playbook) },
                {
                  header: 'Goal reached (treated / held out)',
                  numeric: true,
                  cell: (playbook) =>
                    playbook.results === null
                      ? '—'
                      : `${rate(playbook.results.treated.goalReached, playbook.results.treated.entered)} / ` +
                        `${rate(playbook.results.holdout.goalReached, playbook.results.holdout.entered)}`,
                },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}

function entered(playbook: Playbook): string {
  if (playbook.results === null) return 'none yet';
  return `${count(playbook.results.treated.entered)} / ${count(playbook.results.holdout.entered)}`;
}
