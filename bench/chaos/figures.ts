// What the playbooks did during a chaos run, read from the database: figures to read beside the
// findings, so that a run that checked nothing (no message sent, no task created) is seen as such.
import { count, type Query } from './checks.js';

export async function activityFigures(query: Query): Promise<Record<string, string>> {
  const rows = async (text: string) => {
    const result = await query(text);
    return result.map((row) => Object.values(row).map(String).join(' ')).join(', ') || 'none';
  };
  const skipped = `select split_part(reason, ':', 1) as reason, count(*)::int from outbox where status = 'skipped'
    group by 1 order by 2 desc`;
  return {
    'events stored (all sources)': String(await count(query, 'select count(*)::int as count from events')),
    'playbook runs by playbook': await rows(
      'select playbook_id, count(*)::int from journey_runs group by 1 order by 2 desc',
    ),
    'outbox by channel and status': await rows(
      'select channel, status, count(*)::int from outbox group by 1, 2 order by 1, 3 desc',
    ),
    'skipped sends by reason': await rows(skipped),
    'tasks by status': await rows('select status, count(*)::int from tasks group by 1 order by 2 desc'),
    'open signals by kind': await rows(
      'select kind, count(*)::int from signals where cleared_at is null group by 1 order by 2 desc',
    ),
  };
}
