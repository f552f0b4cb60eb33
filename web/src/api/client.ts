// The app's one way to the API: openapi-fetch over the types generated from Tend's OpenAPI document, with
// the session cookie. A 401 sends the person to the sign-in page, keeping where they were going.
import createClient, { type Middleware } from 'openapi-fetch';
import { navigate } from 'wouter/use-browser-location';
import type { paths } from './schema';

/** Pages anyone may open without a session: a 401 there is an answer, not a reason to leave. */
const publicPages = ['/sign-in', '/setup/'];

export function signInPath(next: string): string {
  const safe = next.startsWith('/') && !next.startsWith('//') && !publicPages.some((page) => next.startsWith(page));
  return safe && next !== '/today' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

/** Where to go after signing in (`?next=`): a path of this app only, never another site. */
export function destinationAfterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (next === null) return '/today';
  const local = next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\');
  return local ? next : '/today';
}

const sendToSignIn: Middleware = {
  onResponse({ response }) {
    const here = window.location.pathname;
    if (response.status === 401 && !publicPages.some((page) => here.startsWith(page))) {
      navigate(signInPath(`${here}${window.location.search}`), { replace: true });
    }
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sendToSignIn);

/** A refusal of the API, in its words: what was wrong and which fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly { field: string; message: string }[],
  ) {
    super(message);
  }
}

function problemsOf(body: unknown): { message: string | null; problems: { field: string; message: string }[] } {
  if (typeof body !== 'object' || body === null) return { message: null, problems: [] };
  const record = body as { message?: unknown; errors?: unknown };
  const problems = Array.isArray(record.errors)
    ? record.errors.flatMap((entry: { field?: unknown; message?: unknown }) =>
        typeof entry?.field === 'string' && typeof entry.message === 'string'
          ? [{ field: entry.field, message: entry.message }]
          : [],
      )
    : [];
  return { message: typeof record.message === 'string' ? record.message : null, problems };
}

/** The answer's body, or an ApiError to throw (TanStack Query shows it as the query's error). */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'Tend could not be reached. Check your connection, then try again.', []);
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) {
    const { message, problems } = problemsOf(error);
    const fallback = `Tend answered ${response.status} ${response.statusText}.`;
    throw new ApiError(response.status, message ?? fallback, problems);
  }
  return data as NonNullable<T>;
}
