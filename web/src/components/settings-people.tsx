// Settings → People: everyone who signs in, their role and manager; add a person and invite them with a
// one-time sign-in link (e-mailed by Tend when it has SMTP), change a role, disable or enable someone.
// Admins only (the API refuses others).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson } from '../api/session';
import type { Reply, RequestBody } from '../api/types';
import { dateTime } from './format';
import { ErrorNotice, QueryState } from './query-state';

type User = Reply<'/api/v1/users'>['users'][number];
type Role = User['role'];
type SavedUser = RequestBody<'/api/v1/users', 'post'>;

const roles: readonly { value: Role; label: string }[] = [
  { value: 'rep', label: 'Rep' },
  { value: 'manager', label: 'Manager' },
  { value: 'admin', label: 'Admin' },
];

export function SettingsPeople({ viewer }: { viewer: SignedInPerson }) {
  const users = useQuery({ queryKey: ['users'], queryFn: () => answer(api.GET('/api/v1/users')) });
  // The same read as the policy section: whether Tend sends e-mail through SMTP, so it can send invitations.
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => answer(api.GET('/api/v1/policy')) });
  const canEmail = policy.data?.email.delivery === 'smtp';
  const [link, setLink] = useState<ShownLink | null>(null);
  return (
    <>
      <AddPerson managers={(users.data?.users ?? []).filter((user) => user.role === 'manager')} onLink={setLink} />
      {link !== null && (
        <div className="notice success" role="status">
          <p>
            {link.sent ? 'Invitation e-mailed to ' : 'Sign-in link for '}
            <strong>{link.email}</strong> (works once, until {dateTime(link.expiresAt)}).
            {link.sent ? ' The link it holds:' : ' Send it to them:'}
          </p>
          <p className="secret">{link.url}</p>
        </div>
      )}
      <QueryState query={users} what="people">
        {({ users: people }) => (
          <div className="table-scroll">
            <table>
              <caption>People who sign in to Tend</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Role</th>
                  <th scope="col">Manager</th>
                  <th scope="col">State</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <PersonRow
                    key={person.id}
                    person={person}
                    self={person.email === viewer.email}
                    managers={people.filter((user) => user.role === 'manager')}
                    canEmail={canEmail}
                    onLink={setLink}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </>
  );
}

type ShownLink = Reply<'/api/v1/users/{id}/sign-in-link', 'post'> & { email: string };
type LinkShown = (link: ShownLink) => void;

/** Makes a sign-in link; with `send`, Tend e-mails it to the person (an invitation). */
function useSignInLink(onLink: LinkShown, send = false) {
  return useMutation({
    mutationFn: async (email: string) => {
      const options = { params: { path: { id: email } }, body: { send } };
      return { email, ...(await answer(api.POST('/api/v1/users/{id}/sign-in-link', options))) };
    },
    onSuccess: onLink,
  });
}

interface PersonRowProps {
  person: User;
  self: boolean;
  managers: readonly User[];
  /** Tend sends e-mail through SMTP, so it can e-mail an invitation. */
  canEmail: boolean;
  onLink: LinkShown;
}

function PersonRow({ person, self, managers, canEmail, onLink }: PersonRowProps) {
  const queries = useQueryClient();
  const [role, setRole] = useState<Role>(person.role);
  const [manager, setManager] = useState(person.managerEmail ?? '');
  const save = useMutation({
    mutationFn: (body: SavedUser) => answer(api.POST('/api/v1/users', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  const toggle = useMutation({
    mutationFn: () =>
      person.disabled
        ? answer(api.POST('/api/v1/users/{id}/enable', { params: { path: { id: person.id } } }))
        : answer(api.POST('/api/v1/users/{id}/disable', { params: { path: { id: person.id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  const link = useSignInLink(onLink);
  const invite = useSignInLink(onLink, true);
  const changed = role !== person.role || manager !== (person.managerEmail ?? '');
  const who = nameOf(person);
  return (
    <tr>
      <th scope="row">
        {who}
        {person.name !== null && (
          <>
            <br />
            <span className="hint">{person.email}</span>
          </>
        )}
      </th>
      <td>
        <label className="visually-hidden" htmlFor={`role-${person.id}`}>
          Role of {who}
        </label>
        <select
          id={`role-${person.id}`}
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
          disabled={self}
        >
          {roles.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`manager-${person.id}`}>
          Manager of {who}
        </label>
        <select id={`manager-${person.id}`} value={manager} onChange={(event) => setManager(event.target.value)}>
          <option value="">None</option>
          {managers
            .filter((candidate) => candidate.email !== person.email)
            .map((candidate) => (
              <option key={candidate.email} value={candidate.email}>
                {nameOf(candidate)}
              </option>
            ))}
        </select>
      </td>
      <td>{person.disabled ? 'Disabled' : 'Active'}</td>
      <td>
        <div className="actions">
          {changed && (
            <button
              type="button"
              onClick={() => save.mutate({ email: person.email, role, managerEmail: manager === '' ? null : manager })}
              disabled={save.isPending}
            >
              Save the change<span className="visually-hidden"> for {who}</span>
            </button>
          )}
          {!person.disabled && (
            <button type="button" className="quiet" onClick={() => link.mutate(person.email)} disabled={link.isPending}>
              Make a sign-in link<span className="visually-hidden"> for {who}</span>
            </button>
          )}
          {!person.disabled && canEmail && (
            <button
              type="button"
              className="quiet"
              onClick={() => invite.mutate(person.email)}
              disabled={invite.isPending}
            >
              E-mail an invitation<span className="visually-hidden"> to {who}</span>
            </button>
          )}
          {!self && (
            <button
              type="button"
              className={person.disabled ? 'quiet' : 'danger'}
              onClick={() => toggle.mutate()}
              disabled={toggle.isPending}
            >
              {person.disabled ? 'Enable' : 'Disable'}
              <span className="visually-hidden"> {who}</span>
            </button>
          )}
        </div>
        {(
          [
            ['save', save],
            ['toggle', toggle],
            ['link', link],
            ['invite', invite],
          ] as const
        ).map(([name, mutation]) => mutation.isError && <ErrorNotice key={name} error={mutation.error} />)}
      </td>
    </tr>
  );
}

function AddPerson({ managers, onLink }: { managers: readonly User[]; onLink: LinkShown }) {
  const queries = useQueryClient();
  const link = useSignInLink(onLink);
  const add = useMutation({
    mutationFn: (body: SavedUser) => answer(api.POST('/api/v1/users', { body })),
    onSuccess: async (user) => {
      await queries.invalidateQueries({ queryKey: ['users'] });
      link.mutate(user.email);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const managerEmail = String(form.get('managerEmail') ?? '');
    add.mutate({
      email: String(form.get('email')),
      role: String(form.get('role')) as Role,
      ...(name === '' ? {} : { name }),
      managerEmail: managerEmail === '' ? null : managerEmail,
    });
    event.currentTarget.reset();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="add-person-title">
      <h3 id="add-person-title">Invite a person</h3>
      <p className="hint">They get a one-time sign-in link to send them; with it they sign in and choose a password.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="add-name">Name</label>
          <input id="add-name" name="name" autoComplete="off" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="add-email">E-mail</label>
          <input id="add-email" name="email" type="email" autoComplete="off" required />
        </div>
        <div className="field">
          <label htmlFor="add-role">Role</label>
          <select id="add-role" name="role" defaultValue="rep">
            {roles.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="add-manager">Manager</label>
          <select id="add-manager" name="managerEmail" defaultValue="">
            <option value="">None</option>
            {managers.map((manager) => (
              <option key={manager.email} value={manager.email}>
                {nameOf(manager)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={add.isPending || link.isPending}>
          Invite
        </button>
      </div>
      {add.isError && <ErrorNotice error={add.error} />}
      {link.isError && <ErrorNotice error={link.error} />}
    </form>
  );
}
