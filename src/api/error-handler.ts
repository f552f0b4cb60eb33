// Turns every error into one JSON shape: what was wrong, where (field and batch index), and how to
// fix it. TendErrors are the caller's to fix; Fastify's own request errors are translated into the
// same words; a database that is down or too busy is answered 503 with Retry-After; anything else
// is a bug, logged in full and answered without internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { listProblems, TendError } from '../domain/errors.js';
import { transientDatabaseError } from '../store/contention-retry.js';

export interface ErrorBody {
  success: false;
  error: string;
  message: string;
  errors: { field: string; message: string; index?: number }[];
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/**
 * The validator's findings in the API's words. A field that must be one of a few words (a union of
 * constants, such as a signal kind) fails each constant apart; those become one "must be one of …".
 */
function validationProblems(issues: readonly ValidationIssue[], context: string): { field: string; message: string }[] {
  const fieldOf = (issue: ValidationIssue): string =>
    `${context}${issue.instancePath.replaceAll('/', '.') || ''}` +
    `${issue.params && 'missingProperty' in issue.params ? `.${String(issue.params.missingProperty)}` : ''}`;
  const allowed = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.keyword === 'const' && issue.params && 'allowedValue' in issue.params) {
      const field = fieldOf(issue);
      allowed.set(field, [...(allowed.get(field) ?? []), String(issue.params.allowedValue)]);
    }
  }
  const problems: { field: string; message: string }[] = [];
  for (const [field, values] of allowed) problems.push({ field, message: `must be one of ${values.join(', ')}` });
  for (const issue of issues) {
    const field = fieldOf(issue);
    if (allowed.has(field) && (issue.keyword === 'const' || issue.keyword === 'anyOf')) continue;
    problems.push({ field, message: issue.message ?? 'is invalid' });
  }
  return problems;
}

function fromFastify(error: FastifyError): TendError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TendError(
        'invalid_json',
        `The request body is not valid JSON: ${error.message}. Send a JSON object.`,
        [{ field: 'body', message: 'is not valid JSON' }],
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TendError(
        'payload_too_large',
        'The request body is larger than 500 KB, the limit per request: split it into smaller batches.',
        [{ field: 'body', message: 'exceeds 500 KB' }],
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TendError('invalid_request', `Unsupported Content-Type: send application/json.`, [
        { field: 'content-type', message: 'must be application/json' },
      ]);
    case 'FST_ERR_VALIDATION': {
      const problems = validationProblems(error.validation ?? [], error.validationContext ?? 'request');
      return new TendError('invalid_request', `The request is invalid: ${listProblems(problems)}.`, problems);
    }
    default:
      break;
  }
  if (error instanceof SyntaxError || (/JSON/.test(error.message) && error.statusCode === 400)) {
    return new TendError('invalid_json', `The request body is not valid JSON: ${error.message}.`, [
      { field: 'body', message: 'is not valid JSON' },
    ]);
  }
  if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR') {
    return new TendError('invalid_request', 'The body says Content-Encoding: gzip but is not valid gzip data.', [
      { field: 'content-encoding', message: 'does not match the body' },
    ]);
  }
  return null;
}

export function registerErrorHandler(server: FastifyInstance): void {
  server.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof TendError ? error : fromFastify(error);
    if (known) {
      const body: ErrorBody = {
        success: false,
        error: known.code,
        message: known.message,
        errors: known.problems.map((problem) => ({ ...problem })),
      };
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return reply.status(known.status).send(body);
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send({ success: false, error: 'invalid_request', message: error.message, errors: [] });
    }
    const transient = transientDatabaseError(error);
    if (transient !== null) {
      // Contention Tend could not resolve in time, or a database that is down: no fault of the
      // request, and a retry a little later succeeds (a Tracking API call's events are stored once).
      const seconds = transient.kind === 'contention' ? 1 : 5;
      request.log.warn({ database: transient }, 'the database is unavailable or too busy: answered 503');
      const state = transient.kind === 'contention' ? 'too busy' : 'unavailable';
      const message = `Tend's database is ${state} right now: the request was not completed. Retry after ${seconds} s.`;
      const body: ErrorBody = { success: false, error: 'unavailable', message, errors: [] };
      return reply.status(503).header('retry-after', String(seconds)).send(body);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({
      success: false,
      error: 'internal',
      message: 'Tend failed on this request; the error is in its log. Retry later, nothing of this request was stored.',
      errors: [],
    });
  });
  server.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      success: false,
      error: 'not_found',
      message: `There is no ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
      errors: [],
    }),
  );
}
