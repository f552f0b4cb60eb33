// An account's health score: its history as a line chart (with the numbers as a table), and each part of
// the score with its weight and the reasons behind it.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { Chart, type ChartOption } from './chart';
import { count, datesInWords, day, share, words } from './format';
import { isNotFound, QueryState } from './query-state';

type Health = Reply<'/api/v1/accounts/{accountId}/health'>;

/** The parts of the score as a rep would name them. */
const partNames: Record<string, string> = {
  engagement: 'Use of the product',
  relationship: 'Conversations with us',
  voice: 'What they tell us (surveys)',
  effort: 'Effort (problems, waiting for us)',
  money: 'Payments',
  churnRisk: 'Likely to stay',
};

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
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {scored.components.map((component) => (
                  <tr key={component.name}>
                    <th scope="row">{partNames[component.name] ?? words(component.name)}</th>
                    <td className="numeric">{component.score === null ? 'no data' : count(component.score)}</td>
                    <td className="numeric">{share(component.weight)}</td>
                    <td>{datesInWords(component.reasons.join(' ')) || '—'}</td>
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
