// An account's health score: its history as a line chart (with the numbers as a table), what weighed most
// and whether the weights were learned, and each part of the score with its weight, its pull and reasons.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { Chart, type ChartOption } from './chart';
import { count, day, reasonsInWords, share, words } from './format';
import { partNames } from './health-words';
import { isNotFound, QueryState } from './query-state';

type Health = Reply<'/api/v1/accounts/{accountId}/health'>;

export function AccountHealth({ accountId }: { accountId: string }) {
  const health = useQuery({
    queryKey: ['account', accountId, 'health'],
    queryFn: () => answer(api.GET('/api/v1/accounts/{accountId}/health', { params: { path: { accountId } } })),
  });
  if (health.isError && isNotFound(health.error)) {
    return (
      <p className="notice">
        No health score yet: Tend scores an account when it first evaluates it, within minutes of its first data.
      </p>
    );
  }
  return (
    <QueryState query={health} what="the health score">
      {(scored) => (
        <>
          <HealthChart health={scored} />
          <p>{weighedMost(scored)}</p>
          <div className="table-scroll">
            <table>
              <caption>What makes up the score of {count(scored.score)}</caption>
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col" className="numeric">
                    Score
                  </th>
                  <th scope="col" className="numeric">
                    Weight
                  </th>
                  <th scope="col" className="numeric">
                    Points off
                  </th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {scored.components.map((component) => (
                  <tr key={component.name}>
                    <th scope="row">{partNames[component.name] ?? words(component.name)}</th>
                    <td className="numeric">{component.score === null ? 'no data' : count(component.score)}</td>
                    <td className="numeric">{share(component.weight)}</td>
                    <td className="numeric">{count(Math.round(component.pull))}</td>
                    <td>{reasonsInWords(component.reasons) || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </QueryState>
  );
}

/** What weighed most for this account, and where the weights come from, in a sentence or two. */
function weighedMost(health: Health): string {
  const heaviest = health.components
    .filter((component) => Math.round(component.pull) > 0)
    .sort((a, b) => b.pull - a.pull)
    .slice(0, 2)
    .map((component) => `${partNames[component.name] ?? words(component.name)} (${Math.round(component.pull)} points)`);
  const most = heaviest.length === 0 ? 'Nothing takes points off the score.' : `Weighed most: ${heaviest.join(', ')}.`;
  if (health.weightsSource === 'hand')
    return `${most} The weights are the configured ones, until Tend has learned enough from lost customers.`;
  const chance =
    health.churnProbability === null ? '' : ` (a ${share(health.churnProbability)} chance of leaving within 13 weeks)`;
  return (
    `${most} The weights were learned from this business's own lost customers${chance}; ` +
    `with the configured weights the score would be ${count(health.configuredScore)}.`
  );
}

function HealthChart({ health }: { health: Health }) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: health.history.map((point) => day(point.day)), boundaryGap: false },
      yAxis: { type: 'value', min: 0, max: 100 },
      tooltip: { trigger: 'axis' },
      series: [
        {
          type: 'line',
          name: 'Health',
          data: health.history.map((point) => point.score),
          showSymbol: health.history.length < 40,
          areaStyle: { opacity: 0.12 },
        },
      ],
    }),
    [health],
  );
  const trend =
    health.trend === null
      ? ''
      : `, ${health.trend.change >= 0 ? 'up' : 'down'} ` +
        `${Math.abs(health.trend.change)} since ${day(health.trend.since)}`;
  if (health.history.length < 2) {
    return <p>Health score {count(health.score)} out of 100 (one day of history so far).</p>;
  }
  return (
    <Chart
      title={`Health score over the last ${health.history.length} days: ${health.score} out of 100 now${trend}`}
      option={option}
      table={
        <table>
          <caption>Health score by day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" className="numeric">
                Score
              </th>
            </tr>
          </thead>
          <tbody>
            {health.history.map((point) => (
              <tr key={point.day}>
                <td>{day(point.day)}</td>
                <td className="numeric">{point.score}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
