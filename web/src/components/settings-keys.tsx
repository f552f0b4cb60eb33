// Settings → Write keys: what sends events to Tend. A new key is shown once (Tend keeps only its hash);
// revoking one makes Tend refuse it within seconds.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api/client';
import type { Reply, RequestBody } from '../api/types';
import { dateTime } from './format';
import { ErrorNotice, QueryState } from './query-state';

type WriteKey = Reply<'/api/v1/write-keys'>['writeKeys'][number];
type NewKey = RequestBody<'/api/v1/write-keys', 'post'>;

export function SettingsKeys() {
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['write-keys'], queryFn: () => answer(api.GET('/api/v1/write-keys')) });
  const [created, setCreated] = useState<{ key: string; source: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: NewKey) => answer(api.POST('/api/v1/write-keys', { body })),
    onSuccess: async (answered) => {
      setCreated({ key: answered.key, source: answered.writeKey.source });
      await queries.invalidateQueries({ queryKey: ['write-keys'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      source: String(form.get('source')).trim(),
      kind: String(form.get('kind')) as NonNullable<NewKey['kind']>,
    });
    event.currentTarget.reset();
  };
  return (
    <>
      <form className="panel" onSubmit={submit} aria-labelledby="new-key-title">
        <h3 id="new-key-title">Create a write key</h3>
        <p className="hint">
          A source is where events come from (your web app, your billing system). A browser key may only send what a
          visitor could: page views and actions, never money or owners.
        </p>
        <div className="filters">
          <div className="field">
            <label htmlFor="key-source">Source</label>
            <input id="key-source" name="source" required maxLength={200} placeholder="web-app" />
          </div>
          <div className="field">
            <label htmlFor="key-kind">Kind</label>
            <select id="key-kind" name="kind" defaultValue="server">
              <option value="server">Server (every call)</option>
              <option value="browser">Browser (page views and actions only)</option>
            </select>
          </div>
          <button type="submit" disabled={create.isPending}>
            Create the write key
          </button>
        </div>
        {create.isError && <ErrorNotice error={create.error} />}
      </form>
      {created !== null && (
        <div className="notice success" role="status">
          <p>
            The write key for <strong>{created.source}</strong>. Copy it now: it is shown this once (Tend keeps only a
            hash of it).
          </p>
          <p className="secret">{created.key}</p>
        </div>
      )}
      <QueryState query={keys} what="write keys">
        {({ writeKeys }) => (
          <div className="table-scroll">
            <table>
              <caption>Write keys</caption>
              <thead>
                <tr>
                  <th scope="col">Key starts with</th>
                  <th scope="col">Source</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {writeKeys.map((key) => (
                  <KeyRow key={`${key.prefix} ${key.createdAt}`} writeKey={key} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </>
  );
}

function KeyRow({ writeKey }: { writeKey: WriteKey }) {
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: () =>
      answer(api.POST('/api/v1/write-keys/{prefix}/revoke', { params: { path: { prefix: writeKey.prefix } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['write-keys'] }),
  });
  return (
    <tr>
      <th scope="row">
        <code>{writeKey.prefix}…</code>
      </th>
      <td>{writeKey.source}</td>
      <td>{writeKey.kind === 'server' ? 'Server' : 'Browser'}</td>
      <td>
        <time dateTime={writeKey.createdAt}>{dateTime(writeKey.createdAt)}</time>
      </td>
      <td>
        {writeKey.revokedAt !== null ? (
          `Revoked ${dateTime(writeKey.revokedAt)}`
        ) : (
          <button type="button" className="danger" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
            Revoke
            <span className="visually-hidden">
              {' '}
              the write key {writeKey.prefix} of {writeKey.source}
            </span>
          </button>
        )}
        {revoke.isError && <ErrorNotice error={revoke.error} />}
      </td>
    </tr>
  );
}
