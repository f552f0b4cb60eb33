// The contact audit of an account: touches over the last 30, 90 and 365 days — by channel, direction and
// who acted — and how long since the last real conversation.
import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../api/client';
import { count, dateTime, daysAgo, share } from './format';
import { QueryState } from './query-state';

const channels = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'] as const;
const channelNames: Record<(typeof channels)[number], string> = {
  phone: 'Phone',
  video: 'Video',
  meeting: 'Meeting',
  email: 'E-mail',
  sms: 'Text',
  chat: 'Chat',
  letter: 'Letter',
};

export function AccountAudit({ accountId }: { accountId: string }) {
  const audit = useQuery({
    queryKey: ['account', accountId, 'audit'],
    queryFn: () => answer(api.GET('/api/v1/accounts/{accountId}/audit', { params: { path: { accountId } } })),
  });
  return (
    <QueryState query={audit} what="the contact audit">
      {(found) => (
        <>
          <p>
            {found.daysSinceSubstantiveContact === null
              ? 'Nobody has had a real conversation with them yet.'
              : `Last real conversation ${daysAgo(found.daysSinceSubstantiveContact)} ` +
                `(${dateTime(found.lastSubstantiveContactAt)}).`}{' '}
            {found.lastSpokenAt !== null && `Last spoken to ${dateTime(found.lastSpokenAt)}.`}
          </p>
          <div className="table-scroll">
            <table>
              <caption>Touches by channel, direction and who acted</caption>
              <thead>
                <tr>
                  <th scope="col">Last</th>
                  <th scope="col" className="numeric">
                    All
                  </th>
                  <th scope="col" className="numeric">
                    Two-way
                  </th>
                  <th scope="col" className="numeric">
                    Spoken
                  </th>
                  {channels.map((channel) => (
                    <th key={channel} scope="col" className="numeric">
                      {channelNames[channel]}
                    </th>
                  ))}
                  <th scope="col" className="numeric">
                    Out / in
                  </th>
                  <th scope="col" className="numeric">
                    Rep / Tend / customer
                  </th>
                </tr>
              </thead>
              <tbody>
                {found.windows.map((window) => (
                  <tr key={window.days}>
                    <th scope="row">{window.days} days</th>
                    <td className="numeric">{count(window.total)}</td>
                    <td className="numeric">{count(window.twoWay)}</td>
                    <td className="numeric">{share(window.spokenShare)}</td>
                    {channels.map((channel) => (
                      <td key={channel} className="numeric">
                        {count(window.byChannel[channel])}
                      </td>
                    ))}
                    <td className="numeric">
                      {count(window.byDirection.outbound)} / {count(window.byDirection.inbound)}
                    </td>
                    <td className="numeric">
                      {count(window.byActor.rep)} / {count(window.byActor.system)} / {count(window.byActor.customer)}
                    </td>
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
