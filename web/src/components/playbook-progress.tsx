// How far a playbook's sending has got over the last day, for someone watching an outage notice or a
// campaign go out: "41,200 of 100,000 messages sent; 58,800 waiting", a progress bar that says the same
// in words, and the figures per channel. The page refreshes it while anything is waiting.
import type { Reply } from '../api/types';
import { count, share, words } from './format';

type Progress = Reply<'/api/v1/playbooks/{id}'>['progress'];
type Counts = Progress['messages'];

const totalOf = (counts: Counts): number =>
  counts.sent + counts.pending + counts.failed + counts.skipped + counts.unconfirmed;

/** While messages wait, the page asks again this often (milliseconds); otherwise not at all. */
export function progressRefresh(progress: Progress | undefined): number | false {
  return progress !== undefined && progress.messages.pending > 0 ? 5000 : false;
}

/** "41,200 of 100,000 messages sent; 58,800 waiting; 12 failed", leaving out what is zero. */
export function progressSentence(counts: Counts): string {
  const total = totalOf(counts);
  const parts = [`${count(counts.sent)} of ${count(total)} ${total === 1 ? 'message' : 'messages'} sent`];
  if (counts.pending > 0) parts.push(`${count(counts.pending)} waiting`);
  if (counts.failed > 0) parts.push(`${count(counts.failed)} failed`);
  if (counts.skipped > 0) parts.push(`${count(counts.skipped)} skipped (no consent, no address or too many)`);
  if (counts.unconfirmed > 0) parts.push(`${count(counts.unconfirmed)} not confirmed by the provider`);
  return parts.join('; ');
}

export function PlaybookProgress({ progress }: { progress: Progress }) {
  const total = totalOf(progress.messages);
  const sending = progress.messages.pending > 0;
  const entered = `${count(progress.entered)} ${progress.entered === 1 ? 'customer' : 'customers'} entered`;
  return (
    <section aria-labelledby="playbook-progress">
      <h2 id="playbook-progress">{sending ? 'Sending now' : 'Sending in the last 24 hours'}</h2>
      {total === 0 && progress.entered === 0 ? (
        <p>Nobody entered and nothing was sent in the last 24 hours.</p>
      ) : (
        <>
          <p>
            {entered} in the last 24 hours.{' '}
            {total === 0 ? 'No message yet.' : `${progressSentence(progress.messages)}.`}
          </p>
          {total > 0 && (
            <p className="progress-line">
              <progress
                max={total}
                value={progress.messages.sent}
                aria-label={`${count(progress.messages.sent)} of ${count(total)} messages sent`}
              >
                {share(progress.messages.sent / total)} sent
              </progress>{' '}
              <span>{share(progress.messages.sent / total)} sent</span>
              {sending && <span className="hint"> · updates by itself while messages wait</span>}
            </p>
          )}
          {progress.byChannel.length > 0 && <ChannelTable progress={progress} />}
        </>
      )}
    </section>
  );
}

function ChannelTable({ progress }: { progress: Progress }) {
  const columns = [
    { key: 'sent', label: 'Sent' },
    { key: 'pending', label: 'Waiting' },
    { key: 'failed', label: 'Failed' },
    { key: 'skipped', label: 'Skipped' },
    { key: 'unconfirmed', label: 'Not confirmed' },
  ] as const;
  return (
    <div className="table-scroll">
      <table>
        <caption>Messages of the last 24 hours on each channel</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            {columns.map((column) => (
              <th key={column.key} scope="col" className="numeric">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {progress.byChannel.map((channel) => (
            <tr key={channel.channel}>
              <th scope="row">{words(channel.channel)}</th>
              {columns.map((column) => (
                <td key={column.key} className="numeric">
                  {count(channel[column.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
