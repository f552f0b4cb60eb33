// Settings → Policy: the rules in force, read-only — tiers and their cadences, what raises a signal, how
// messages are sent. They are set in tend.config.yaml and read when Tend starts.
import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../api/client';
import { count, share, words } from './format';
import { QueryState } from './query-state';

export function SettingsPolicy() {
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => answer(api.GET('/api/v1/policy')) });
  return (
    <QueryState query={policy} what="the policy">
      {(rules) => (
        <>
          <p className="hint">
            Set in <code>tend.config.yaml</code> and read when Tend starts; change the file and restart Tend to change
            them.
          </p>
          <div className="table-scroll">
            <table>
              <caption>Tiers (by {rules.value.basis} a year) and how often each needs a real conversation</caption>
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col" className="numeric">
                    Share of value
                  </th>
                  <th scope="col" className="numeric">
                    Every
                  </th>
                  <th scope="col">How</th>
                  <th scope="col">What for</th>
                </tr>
              </thead>
              <tbody>
                {rules.value.tiers.map((tier) => {
                  const cadence = rules.cadences.find((candidate) => candidate.tier === tier.name);
                  return (
                    <tr key={tier.name}>
                      <th scope="row">{tier.name}</th>
                      <td className="numeric">{share(tier.share)}</td>
                      <td className="numeric">{cadence === undefined ? '—' : `${count(cadence.everyDays)} days`}</td>
                      <td>{cadence?.methods.map(words).join(', ') ?? '—'}</td>
                      <td>{cadence === undefined ? '—' : words(cadence.objective)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <dl className="facts">
            <div>
              <dt>Today's list</dt>
              <dd>{count(rules.today.size)} entries</dd>
            </div>
            <div>
              <dt>E-mail only counts after</dt>
              <dd>{count(rules.signals.asyncOnlyAfterDays)} days</dd>
            </div>
            <div>
              <dt>Unhappy at a score of</dt>
              <dd>{count(rules.signals.detractorMaxScore)} or less</dd>
            </div>
            <div>
              <dt>Payment late after</dt>
              <dd>{count(rules.signals.paymentGraceDays)} days' grace</dd>
            </div>
            <div>
              <dt>Renewal reminders</dt>
              <dd>{rules.signals.renewalDays.map((days) => `${days} d`).join(', ')} before</dd>
            </div>
            <div>
              <dt>Quiet hours</dt>
              <dd>
                {rules.sending.quietHours === null
                  ? 'none'
                  : `${rules.sending.quietHours.start}–${rules.sending.quietHours.end}`}
              </dd>
            </div>
            <div>
              <dt>At most</dt>
              <dd>
                {rules.sending.frequencyCap === null
                  ? 'no cap'
                  : `${rules.sending.frequencyCap.maxMessages} messages in ` +
                    `${rules.sending.frequencyCap.withinDays} days`}
              </dd>
            </div>
            <div>
              <dt>After a customer writes</dt>
              <dd>
                {rules.sending.pauseAfterReplyHours === 0
                  ? 'automated messages go on'
                  : `automated messages wait ${count(rules.sending.pauseAfterReplyHours)} h`}
              </dd>
            </div>
            <div>
              <dt>Events kept</dt>
              <dd>{rules.retention.eventsDays === null ? 'for good' : `${count(rules.retention.eventsDays)} days`}</dd>
            </div>
          </dl>
        </>
      )}
    </QueryState>
  );
}
