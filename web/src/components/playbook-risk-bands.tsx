// A playbook's retention lift in each risk band (the account's health score when its run entered), as a
// small table in plain words: the accounts most at risk are not always the ones a playbook saves.
import type { Reply } from '../api/types';
import { count, lift, share } from './format';

type Results = Reply<'/api/v1/playbooks/{id}/results'>;
type Band = Results['byRiskBand'][number];
type Counts = Band['treated'];

const bandNames: Record<Band['band'], string> = {
  'high-risk': 'High risk',
  middle: 'Middle',
  'low-risk': 'Low risk',
  unscored: 'Not scored',
};

const verdictWords: Record<Band['verdict'], string> = {
  'too-few-to-judge': 'Too few to judge',
  helps: 'Helps',
  'no-effect-shown': 'No effect shown',
  harms: 'Harms',
};

const significant = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 2 });

/** The scores a band holds, from the API's range (the thresholds live on the server). */
function scoresWords({ from, below }: Band['scores']): string {
  if (from === null) return 'no health score when the run entered';
  if (below === null) return `score ${count(from)} or more`;
  if (from === 0) return `score below ${count(below)}`;
  return `score ${count(from)} to ${count(below - 1)}`;
}

function retainedWords(counts: Counts): string {
  if (counts.entered === 0) return 'no runs';
  return `${count(counts.retained)} of ${count(counts.entered)} (${share(counts.retained / counts.entered)})`;
}

function pValueWords(p: number): string {
  return p < 0.001 ? 'below 0.001' : significant.format(p);
}

export function PlaybookRiskBands({ bands }: { bands: Results['byRiskBand'] }) {
  const entered = bands.reduce((total, band) => total + band.treated.entered + band.holdout.entered, 0);
  return (
    <>
      <h2>Lift by risk band</h2>
      {entered === 0 ? (
        <p className="notice">
          Bands fill in as runs enter: each run is banded by the account's health score when it entered, so a band shows
          whom the playbook reached, not whom they became.
        </p>
      ) : (
        <>
          <p>
            Each run counts in the band of its account's health score when it entered. The accounts most at risk are not
            always the ones a playbook saves: look for the band where the lift is.
          </p>
          <div className="table-scroll">
            <table>
              <caption>Retained, treated against held out, in each risk band</caption>
              <thead>
                <tr>
                  <th scope="col">Risk band</th>
                  <th scope="col" className="numeric">
                    Treated retained
                  </th>
                  <th scope="col" className="numeric">
                    Held out retained
                  </th>
                  <th scope="col" className="numeric">
                    Lift
                  </th>
                  <th scope="col" className="numeric">
                    95 % interval
                  </th>
                  <th scope="col" className="numeric">
                    p-value
                  </th>
                  <th scope="col">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {bands.map((band) => (
                  <tr key={band.band}>
                    <th scope="row">
                      {bandNames[band.band]}
                      <span className="band-scores">{scoresWords(band.scores)}</span>
                    </th>
                    <td className="numeric">{retainedWords(band.treated)}</td>
                    <td className="numeric">{retainedWords(band.holdout)}</td>
                    <td className="numeric">{band.retention === null ? '—' : lift(band.retention.lift.absolute)}</td>
                    <td className="numeric">
                      {band.retention === null
                        ? '—'
                        : `${lift(band.retention.lift.lower)} to ${lift(band.retention.lift.upper)}`}
                    </td>
                    <td className="numeric">{band.retention === null ? '—' : pValueWords(band.retention.pValue)}</td>
                    <td>{verdictWords[band.verdict]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="lead">
            Helps or harms: the lift's 95 % interval lies wholly above or below zero. No effect shown: the interval
            includes zero, so the playbook may make no difference there. Too few to judge: a group has fewer runs in the
            band than a verdict needs.
          </p>
        </>
      )}
    </>
  );
}
