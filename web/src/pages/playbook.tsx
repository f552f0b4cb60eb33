// `/playbooks/{id}`: a playbook — its trigger, audience and steps, with the runs at each, and how far its
// last day's sending has got (refreshed while messages wait) — and what it did: treated against held out
// (entered, sent, responded, goal reached, retained), the lift of each rate with its 95 % interval as a
// chart and a table, the retention lift by risk band, and the runs in progress for one's accounts.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { Chart, type ChartOption } from '../components/chart';
import { count, duration, lift, share } from '../components/format';
import { PageTitle } from '../components/layout';
import { PlaybookProgress, progressRefresh } from '../components/playbook-progress';
import { PlaybookRiskBands } from '../components/playbook-risk-bands';
import { PlaybookRuns } from '../components/playbook-runs';
import { PlaybookSteps } from '../components/playbook-steps';
import { measures, triggerWords } from '../components/playbook-words';
import { QueryState } from '../components/query-state';

type Results = Reply<'/api/v1/playbooks/{id}/results'>;
type Definition = Reply<'/api/v1/playbooks/{id}'>;
type Comparison = Results['goalReached'];
type Measured = Extract<Comparison, { lift: { absolute: number } }>;

const compared = [
  { key: 'responded', label: 'Responded' },
  { key: 'goalReached', label: 'Reached the goal' },
  { key: 'retained', label: 'Retained' },
] as const;

const priorityWords: Record<Definition['priority'], string> = {
  incident: 'Incident: sent first',
  transactional: 'Transactional: before routine',
  normal: 'Normal',
  marketing: 'Marketing: sent last',
};

const measured = (comparison: Comparison): comparison is Measured => 'lift' in comparison && comparison.lift !== null;
const points = (value: number): number => Math.round(value * 1000) / 10;

export function PlaybookPage({ id }: { id: string }) {
  const definition = useQuery({
    queryKey: ['playbook', id],
    queryFn: () => answer(api.GET('/api/v1/playbooks/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => progressRefresh(query.state.data?.progress),
  });
  const results = useQuery({
    queryKey: ['playbook', id, 'results'],
    queryFn: () => answer(api.GET('/api/v1/playbooks/{id}/results', { params: { path: { id } } })),
  });
  useRefreshWhenSent(id, definition.data?.progress.messages.pending ?? 0);
  return (
    <>
      <p>
        <Link href="/playbooks">All playbooks</Link>
      </p>
      <QueryState query={definition} what="playbook">
        {(playbook) => (
          <>
            <PlaybookHeader playbook={playbook} />
            <PlaybookProgress progress={playbook.progress} />
            <h2>What it does</h2>
            <PlaybookSteps playbook={playbook} />
            <QueryState query={results} what="the results">
              {(counted) => <PlaybookResults playbook={counted} />}
            </QueryState>
            <h2>Runs in progress</h2>
            <PlaybookRuns playbookId={playbook.id} />
          </>
        )}
      </QueryState>
    </>
  );
}

/**
 * Once the last waiting message has gone, the results and the runs are read again (once: they are not
 * polled while sending, being dearer to count than the progress).
 */
function useRefreshWhenSent(id: string, waiting: number): void {
  const client = useQueryClient();
  const wasWaiting = useRef(false);
  useEffect(() => {
    if (wasWaiting.current && waiting === 0) void client.invalidateQueries({ queryKey: ['playbook', id] });
    wasWaiting.current = waiting > 0;
  }, [client, id, waiting]);
}

function PlaybookHeader({ playbook }: { playbook: Definition }) {
  return (
    <>
      <PageTitle title={playbook.name}>{playbook.name}</PageTitle>
      <p className="lead">{playbook.description}</p>
      <dl className="facts">
        <div>
          <dt>Starts</dt>
          <dd>{triggerWords(playbook.trigger)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{playbook.enabled ? 'On' : 'Off'}</dd>
        </div>
        <div>
          <dt>Goal</dt>
          <dd>
            {playbook.goal === null
              ? 'none set'
              : `"${playbook.goal.event}" within ${duration(playbook.goal.within.ms)}`}
          </dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{priorityWords[playbook.priority]}</dd>
        </div>
        <div>
          <dt>Held out to compare</dt>
          <dd>{share(playbook.holdout)}</dd>
        </div>
      </dl>
    </>
  );
}

function PlaybookResults({ playbook }: { playbook: Results }) {
  const withLift = compared.filter((measure) => measured(playbook[measure.key]));
  return (
    <>
      <h2>Treated against held out</h2>
      <div className="table-scroll">
        <table>
          <caption>Customers in each group, and how many did each thing</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="numeric">
                Treated
              </th>
              <th scope="col" className="numeric">
                Held out
              </th>
            </tr>
          </thead>
          <tbody>
            {measures.map((measure) => (
              <tr key={measure.key}>
                <th scope="row">{measure.label}</th>
                <td className="numeric">
                  {countAndRate(playbook.treated[measure.key], playbook.treated.entered, measure.key)}
                </td>
                <td className="numeric">
                  {countAndRate(playbook.holdout[measure.key], playbook.holdout.entered, measure.key)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Lift, with its 95 % interval</h2>
      {withLift.length === 0 ? (
        <p className="notice">
          No lift yet: {noteOf(playbook.goalReached) ?? 'it needs customers in both groups'}. The lift shows once both
          the treated and the held-out group have customers.
        </p>
      ) : (
        <LiftChart playbook={playbook} />
      )}
      <PlaybookRiskBands bands={playbook.byRiskBand} />
    </>
  );
}

function countAndRate(value: number, entered: number, key: string): string {
  if (key === 'entered' || entered === 0) return count(value);
  return `${count(value)} (${share(value / entered)})`;
}

function noteOf(comparison: Comparison): string | null {
  return 'note' in comparison ? comparison.note : null;
}

function LiftChart({ playbook }: { playbook: Results }) {
  const rows = useMemo(
    () =>
      compared.flatMap((measure) => {
        const comparison = playbook[measure.key];
        return measured(comparison) ? [{ ...measure, comparison }] : [];
      }),
    [playbook],
  );
  const option = useMemo<ChartOption>(() => {
    const labels = rows.map((row) => row.label);
    return {
      grid: { left: 140, right: 32, top: 16, bottom: 40 },
      xAxis: {
        type: 'value',
        name: 'percentage points',
        nameLocation: 'middle',
        nameGap: 26,
        axisLabel: { formatter: '{value}' },
      },
      yAxis: { type: 'category', data: labels, inverse: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      series: [
        // An invisible bar up to the interval's lower end, and the interval on top of it.
        {
          type: 'bar',
          stack: 'interval',
          stackStrategy: 'all',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: rows.map((row) => points(row.comparison.lift.lower)),
        },
        {
          type: 'bar',
          name: '95 % interval',
          stack: 'interval',
          stackStrategy: 'all',
          barWidth: 14,
          itemStyle: { color: '#9cc5b2' },
          data: rows.map((row) => points(row.comparison.lift.upper - row.comparison.lift.lower)),
        },
        {
          type: 'scatter',
          name: 'Lift',
          symbolSize: 14,
          itemStyle: { color: '#1f6f50' },
          data: rows.map((row) => points(row.comparison.lift.absolute)),
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#55605b' },
            data: [{ xAxis: 0 }],
            label: { show: false },
          },
        },
      ],
    };
  }, [rows]);
  return (
    <Chart
      title="Lift of each rate, treated minus held out, in percentage points, with its 95 % interval"
      option={option}
      height={60 + rows.length * 56}
      table={
        <table>
          <caption>Lift of each rate with its 95 % interval</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="numeric">
                Treated
              </th>
              <th scope="col" className="numeric">
                Held out
              </th>
              <th scope="col" className="numeric">
                Lift
              </th>
              <th scope="col" className="numeric">
                95 % interval
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td className="numeric">{share(row.comparison.treated.rate)}</td>
                <td className="numeric">{share(row.comparison.holdout.rate)}</td>
                <td className="numeric">
                  {lift(row.comparison.lift.absolute)}
                  {row.comparison.lift.significant ? ' (clear)' : ' (not clear yet)'}
                </td>
                <td className="numeric">
                  {lift(row.comparison.lift.lower)} to {lift(row.comparison.lift.upper)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
