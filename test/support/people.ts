// People signed in to a test Tend: `signIn(tend, { email, role })` creates the user (with the admin token,
// through the API), gives them a session, and returns a client that calls the API as them: their cookie
// on every request, and Tend's own Origin on writes, as a browser on Tend's pages sends.
import { startSession } from '../../src/store/sessions.js';
import type { TestTend } from './test-tend.js';

export interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
  readonly body: any;
  readonly headers: Headers;
}

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly role: 'rep' | 'manager' | 'admin';
  /** `tend_session=…`, as the Cookie header carries it. */
  readonly cookie: string;
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  put(path: string, body?: unknown): Promise<Answer>;
  patch(path: string, body?: unknown): Promise<Answer>;
  delete(path: string, body?: unknown): Promise<Answer>;
}

export interface PersonToSignIn {
  readonly email: string;
  readonly role: 'rep' | 'manager' | 'admin';
  /** The manager, who must exist already (sign them in first, or create them with the admin token). */
  readonly managerEmail?: string;
  readonly name?: string;
}

/** A client that sends this cookie (and, on writes, Tend's own Origin) with every request. */
export function clientWithCookie(url: string, cookie: string): Omit<Person, 'id' | 'email' | 'role'> {
  const origin = new URL(url).origin;
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { cookie };
    if (method !== 'GET') headers.origin = origin;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  };
  return {
    cookie,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path, body) => call('DELETE', path, body),
  };
}

/** Creates (or updates) the user through the API and signs them in; their session starts now. */
export async function signIn(tend: TestTend, person: PersonToSignIn): Promise<Person> {
  const saved = await tend.post('/api/v1/users', {
    email: person.email,
    role: person.role,
    ...(person.name === undefined ? {} : { name: person.name }),
    ...(person.managerEmail === undefined ? {} : { managerEmail: person.managerEmail }),
  });
  if (saved.status !== 201) {
    throw new Error(`signIn: creating ${person.email} answered ${saved.status}: ${JSON.stringify(saved.body)}`);
  }
  const userId: string = saved.body.id;
  const token = await startSession(tend.tend.store.database, userId, 'link', tend.tend.processClock.now());
  const client = clientWithCookie(tend.url, `tend_session=${token}`);
  return { id: userId, email: person.email.toLowerCase(), role: person.role, ...client };
}
