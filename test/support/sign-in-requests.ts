// Requests as a browser on Tend's pages makes them, from a chosen loopback address (127.0.0.x), so that
// tests can tell limits per address from limits per account on one machine.
import { request } from 'node:http';

export interface RawAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
  readonly body: any;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The `name=value` of the session cookie this answer set, or null. */
  readonly sessionCookie: string | null;
  /** The Set-Cookie lines, as sent. */
  readonly setCookies: readonly string[];
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The local address to connect from (default 127.0.0.1); Tend sees it as the caller's. */
  readonly from?: string;
}

export function send(url: string, call: RawRequest): Promise<RawAnswer> {
  const target = new URL(call.path, url);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((done, failed) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: call.method,
        headers,
        localAddress: call.from ?? '127.0.0.1',
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const setCookies = response.headers['set-cookie'] ?? [];
          const session = setCookies.find((line) => line.startsWith('tend_session='));
          const sessionCookie = session === undefined ? null : session.split(';')[0]!;
          const body = text === '' ? null : JSON.parse(text);
          done({ status: response.statusCode ?? 0, body, headers: response.headers, sessionCookie, setCookies });
        });
      },
    );
    outgoing.on('error', failed);
    if (payload !== undefined) outgoing.write(payload);
    outgoing.end();
  });
}

/** Signs in with e-mail and password from an address (no Origin, as a script; a browser's is checked). */
export function passwordSignIn(url: string, email: string, password: string, from?: string): Promise<RawAnswer> {
  return send(url, { method: 'POST', path: '/api/v1/sessions', body: { email, password }, ...(from ? { from } : {}) });
}
