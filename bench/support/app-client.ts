// The app's HTTP calls as a browser makes them for the app benchmark: a person signed in with a one-time
// link through the public API (as an admin hands one out), then their session cookie on every request,
// one request at a time over a kept-alive connection, each timed.
import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: IncomingHttpHeaders;
  readonly milliseconds: number;
}

export interface AppClient {
  readonly email: string;
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  close(): void;
}

function send(
  agent: Agent,
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const length = payload?.length ?? 0;
  const json = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': `${length}` };
  const where = { host: base.hostname, port: base.port, method, path };
  const options = { agent, ...where, headers: { ...headers, ...json }, timeout: 120_000 };
  const began = performance.now();
  return new Promise((done, failed) => {
    const outgoing = request(options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => {
        const milliseconds = performance.now() - began;
        done({ status: response.statusCode ?? 0, text, headers: response.headers, milliseconds });
      });
      response.once('error', failed);
    });
    outgoing.once('timeout', () => outgoing.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
    outgoing.once('error', failed);
    outgoing.end(payload);
  });
}

/** A client that sends the given headers (a session cookie, or the admin token) with every request. */
export function clientWith(url: string, email: string, headers: Record<string, string>): AppClient {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    email,
    get: (path) => send(agent, base, 'GET', path, headers),
    // A browser on Tend's own pages sends its origin with every write (the CSRF check).
    post: (path, body) => send(agent, base, 'POST', path, { ...headers, origin: base.origin }, body),
    close: () => agent.destroy(),
  };
}

/** Parses a JSON answer, or fails with what came back instead of the status wanted. */
export function expectJson<T>(answer: Answer, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return JSON.parse(answer.text) as T;
}

/**
 * Signs a person in as the app does after an admin sent them a link: the admin token asks for a
 * one-time sign-in link (`POST /api/v1/users/{email}/sign-in-link`), and the link's token is spent at
 * `POST /api/v1/sign-in/{token}`, whose answer sets the session cookie.
 */
export async function signInWithLink(admin: AppClient, url: string, email: string): Promise<AppClient> {
  const asked = await admin.post(`/api/v1/users/${encodeURIComponent(email)}/sign-in-link`);
  const link = expectJson<{ url: string }>(asked, 201, `a sign-in link for ${email}`);
  const token = new URL(link.url).pathname.split('/').pop() ?? '';
  const anonymous = clientWith(url, email, {});
  const signedIn = await anonymous.post(`/api/v1/sign-in/${encodeURIComponent(token)}`);
  anonymous.close();
  expectJson(signedIn, 200, `signing ${email} in with the link`);
  const cookies = signedIn.headers['set-cookie'] ?? [];
  const session = cookies.map((cookie) => cookie.split(';')[0] ?? '').find((pair) => pair.startsWith('tend_session='));
  if (session === undefined) throw new Error(`signing ${email} in set no session cookie: ${JSON.stringify(cookies)}`);
  return clientWith(url, email, { cookie: session });
}
