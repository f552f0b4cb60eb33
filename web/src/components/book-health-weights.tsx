// What the health score weighs in the whole book, for Oversight: each part's weight in effect beside the
// configured one, whether the weights were learned from the book's own lost accounts or why the configured
// ones are kept, and how well each set ranked the accounts that left, on weeks the fit had not seen.
import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { EmptyState } from './empty-state';
import { count, datesInWords, day, share, words } from './format';
import { partNames } from './health-words';
import { QueryState } from './query-state';

type HealthModel = Reply<'/api/v1/health/model'>;
type Quality = NonNullable<HealthModel['quality']>;
type Part = keyof HealthModel['weights'];

const title = 'What the health score weighs in this book';
const howItLearns =
  'Tend learns these weights once a week from the accounts this book loses; ' +
  'until it has seen enough losses it uses the configured weights.';

export function BookHealthWeights() {
  const model = useQuery({
    queryKey: ['health-model'],
    queryFn: () => answer(api.GET('/api/v1/health/model')),
  });
  return (
    <QueryState query={model} what="the health score's weights">
      {(state) =>
        state.status === 'not-fitted' ? (
          <EmptyState title={title}>
            <p>
              {howItLearns} The first try comes when the engine starts; until then the score weighs its parts as
              configured.
            </p>
            <WeightsTable state={state} />
          </EmptyState>
        ) : (
          <section aria-labelledby="book-health-weights">
            <h2 id="book-health-weights">{title}</h2>
            <p>{whereFrom(state)}</p>
            {state.quality !== null && <p>{howWellItRanks(state.quality, state.source)}</p>}
            <WeightsTable state={state} />
            {state.quality !== null && <ForAnalysts quality={state.quality} />}
          </section>
        )
      }
    </QueryState>
  );
}

/** Whether the weights were learned (when, from how many lost accounts) or why the configured ones are kept. */
function whereFrom(state: HealthModel): string {
  if (state.source === 'learned') {
    const weeks =
      state.window === null
        ? ''
        : ` (the weeks from ${datesInWords(state.window.firstDay)} to ${datesInWords(state.window.lastDay)})`;
    return (
      `Tend learned these weights on ${day(state.fittedAt)} from this book's own ` +
      `${count(state.lostAccounts)} lost accounts${weeks}, weighing each part by how well it foretold a loss ` +
      `within ${count(Math.round(state.horizonDays / 7))} weeks. It learns them again on ${day(state.nextRefitAt)}.`
    );
  }
  const reason = state.reason === null ? '' : ` ${sentence(datesInWords(state.reason))}`;
  return (
    `The score uses the configured weights.${reason} Tend learns weights from the accounts this book loses, ` +
    `once a week; it looks again on ${day(state.nextRefitAt)}.`
  );
}

/** The API's reason (lower case, no full stop) as a sentence of its own. */
function sentence(reason: string): string {
  const capital = reason.charAt(0).toUpperCase() + reason.slice(1);
  return capital.endsWith('.') ? capital : `${capital}.`;
}

/** The out-of-time ranking (the AUC) in words: how often a lost account scored below one that stayed. */
function howWellItRanks(quality: Quality, source: HealthModel['source']): string {
  if (quality.scoreAuc === null || quality.handAuc === null) return '';
  const learned = source === 'learned' ? 'the learned weights' : 'the weights Tend tried';
  return (
    `Tested on the latest weeks, which the fit had not seen, ${learned} gave an account that left a lower ` +
    `score than one that stayed ${share(quality.scoreAuc)} of the time, against ${share(quality.handAuc)} ` +
    'for the configured weights (half the time would be chance).'
  );
}

function WeightsTable({ state }: { state: HealthModel }) {
  const parts = (Object.keys(state.weights) as Part[]).sort(
    (a, b) => state.weights[b] - state.weights[a] || state.handWeights[b] - state.handWeights[a],
  );
  return (
    <div className="table-scroll">
      <table>
        <caption>Each part's weight in the health score, heaviest first</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col" className="numeric">
              {state.source === 'learned' ? 'Learned weight' : 'Weight used'}
            </th>
            <th scope="col" className="numeric">
              Configured weight
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.map((part) => (
            <tr key={part}>
              <th scope="row">{partNames[part] ?? words(part)}</th>
              <td className="numeric">{share(state.weights[part])}</td>
              <td className="numeric">{share(state.handWeights[part])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The fit's quality figures under their usual names, for whoever wants to check them. */
function ForAnalysts({ quality }: { quality: Quality }) {
  const decimal = (value: number | null) => (value === null ? '—' : value.toFixed(3));
  return (
    <details className="chart-numbers">
      <summary>The fit's figures, for analysts</summary>
      <p>
        Tested out of time on {count(quality.testSamples)} weekly scores ({count(quality.testLosses)} followed by a
        loss): AUC of the learned score {decimal(quality.scoreAuc)}, of the configured weights{' '}
        {decimal(quality.handAuc)}, of the churn probability {decimal(quality.auc)}; Brier score{' '}
        {decimal(quality.brier)}.
      </p>
      {quality.calibration.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Churn probability against the losses seen, by tenth of probability</caption>
            <thead>
              <tr>
                <th scope="col">Tenth</th>
                <th scope="col" className="numeric">
                  Scores
                </th>
                <th scope="col" className="numeric">
                  Predicted loss
                </th>
                <th scope="col" className="numeric">
                  Loss seen
                </th>
              </tr>
            </thead>
            <tbody>
              {quality.calibration.map((bin) => (
                <tr key={bin.bin}>
                  <th scope="row">{count(bin.bin)}</th>
                  <td className="numeric">{count(bin.count)}</td>
                  <td className="numeric">{share(bin.meanPredicted)}</td>
                  <td className="numeric">{share(bin.observedRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
