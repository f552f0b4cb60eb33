// `/notifications`: how Tend tells the signed-in person about what needs them (each kind at once, in the
// morning digest, or not at all), on which channels (e-mail; Slack through an incoming webhook), and the
// time zone the digest keeps. Saves through `PUT /api/v1/users/me/notifications`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api/client';
import type { Reply, RequestBody } from '../api/types';
import { PageTitle } from '../components/layout';
import { ErrorNotice, QueryState } from '../components/query-state';

type Settings = Reply<'/api/v1/users/{id}/notifications'>;
type Change = RequestBody<'/api/v1/users/{id}/notifications', 'put'>;
type Delivery = Settings['kinds'][number]['delivery'];

const kindNames: Record<Settings['kinds'][number]['kind'], string> = {
  alert: 'Alerts',
  task: 'New tasks',
  escalation: 'Escalations',
  reply: 'Customers waiting for an answer',
  signal: 'Red flags on your most valuable accounts',
};

const deliveries: readonly { value: Delivery; label: string }[] = [
  { value: 'immediately', label: 'Right away' },
  { value: 'digest', label: 'In the morning digest' },
  { value: 'off', label: 'Not at all' },
];

const zones: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

export function NotificationsPage() {
  // Kept here: the form is drawn anew from what was saved (the webhook field emptied), the message stays.
  const [saved, setSaved] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: ['notifications', 'me'],
    queryFn: () => answer(api.GET('/api/v1/users/{id}/notifications', { params: { path: { id: 'me' } } })),
  });
  return (
    <>
      <PageTitle title="Notifications">Notifications</PageTitle>
      <p className="lead">
        Tend tells you when something needs you: by e-mail, and in Slack if you add a webhook. Choose what comes right
        away and what waits for your morning digest at 08:00.
      </p>
      <QueryState query={settings} what="your notification settings">
        {(data) => <SettingsForm key={JSON.stringify(data)} settings={data} onSaved={setSaved} />}
      </QueryState>
      <p role="status">{saved}</p>
    </>
  );
}

function SettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (message: string | null) => void }) {
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Change) =>
      answer(api.PUT('/api/v1/users/{id}/notifications', { params: { path: { id: 'me' } }, body })),
    onSuccess: async () => {
      onSaved('Your notification settings are saved.');
      await queries.invalidateQueries({ queryKey: ['notifications'] });
    },
    onMutate: () => onSaved(null),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kinds = Object.fromEntries(settings.kinds.map((kind) => [kind.kind, String(form.get(`kind-${kind.kind}`))]));
    const zone = String(form.get('timezone') ?? '');
    const slack = String(form.get('slack') ?? '').trim();
    const team = String(form.get('team-slack') ?? '').trim();
    save.mutate({
      kinds: kinds as Change['kinds'],
      timezone: zone === '' ? null : zone,
      ...(form.get('slack-remove') === 'on'
        ? { slackWebhookUrl: null }
        : slack === ''
          ? {}
          : { slackWebhookUrl: slack }),
      ...(form.get('team-slack-remove') === 'on'
        ? { teamSlackWebhookUrl: null }
        : team === '' || settings.slack.team === null
          ? {}
          : { teamSlackWebhookUrl: team }),
    });
  };
  const slackInEffect =
    settings.slack.inEffect === 'own'
      ? `Slack: your own webhook (${settings.slack.own.host}).`
      : settings.slack.inEffect === 'team'
        ? "Slack: your team's channel, set by your manager."
        : 'Slack: not set up, so notices come by e-mail only.';
  return (
    <form className="settings-form" aria-label="Notification settings" onSubmit={submit}>
      <section aria-labelledby="kinds-title">
        <h2 id="kinds-title">What reaches you, and when</h2>
        {settings.kinds.map((kind) => (
          <fieldset key={kind.kind}>
            <legend>{kindNames[kind.kind]}</legend>
            <p className="hint">{kind.description}</p>
            <div className="choices">
              {deliveries.map((delivery) => (
                <label key={delivery.value}>
                  <input
                    type="radio"
                    name={`kind-${kind.kind}`}
                    value={delivery.value}
                    defaultChecked={kind.delivery === delivery.value}
                  />{' '}
                  {delivery.label}
                  {kind.default === delivery.value ? ' (usual)' : ''}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </section>
      <section aria-labelledby="channels-title">
        <h2 id="channels-title">Where they go</h2>
        <p>E-mail: {settings.email.address}</p>
        <p>{slackInEffect}</p>
        <div className="field">
          <label htmlFor="slack">
            {settings.slack.own.set ? 'Replace your Slack webhook URL' : 'Your Slack webhook URL'}
          </label>
          <input
            id="slack"
            name="slack"
            type="url"
            inputMode="url"
            autoComplete="off"
            maxLength={500}
            placeholder="https://hooks.slack.com/services/…"
            aria-describedby="slack-hint"
          />
          <p className="hint" id="slack-hint">
            In Slack, add the “Incoming Webhooks” app to the channel you want, and paste the URL it gives here. Keep it
            to yourself: anyone with it can post to that channel. Tend shows only its host afterwards.
          </p>
        </div>
        {settings.slack.own.set && (
          <label>
            <input type="checkbox" name="slack-remove" /> Remove my Slack webhook
          </label>
        )}
        {settings.slack.team !== null && (
          <div className="field">
            <label htmlFor="team-slack">
              {settings.slack.team.set
                ? `Replace your team's Slack webhook URL (now ${settings.slack.team.host})`
                : "Your team's Slack webhook URL"}
            </label>
            <input
              id="team-slack"
              name="team-slack"
              type="url"
              autoComplete="off"
              maxLength={500}
              aria-describedby="team-slack-hint"
            />
            <p className="hint" id="team-slack-hint">
              Your reps who have no webhook of their own get their notices in this channel.
            </p>
            {settings.slack.team.set && (
              <label>
                <input type="checkbox" name="team-slack-remove" /> Remove the team's Slack webhook
              </label>
            )}
          </div>
        )}
      </section>
      <section aria-labelledby="digest-title">
        <h2 id="digest-title">Your morning digest</h2>
        <div className="field">
          <label htmlFor="timezone">Your time zone</label>
          <select id="timezone" name="timezone" defaultValue={settings.timezone ?? ''} aria-describedby="timezone-hint">
            <option value="">Not set (Tend's default, {settings.digestTimezone})</option>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <p className="hint" id="timezone-hint">
            The digest arrives at 08:00 in this zone
            {settings.nextDigestAt === null
              ? '.'
              : `; the next one is due ${new Date(settings.nextDigestAt).toLocaleString()}.`}{' '}
            A day with nothing for you brings no digest.
          </p>
        </div>
      </section>
      {save.isError && <ErrorNotice error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save my notification settings
        </button>
      </div>
    </form>
  );
}
