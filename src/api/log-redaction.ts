// Keeps capability tokens out of the logs: an unsubscribe or tracked-link token in a path, a sign-in or
// set-up link, or a token, key, secret or signature in a query string works for whoever reads it, so
// request lines and log messages show `[redacted]` in its place.
import type { FastifyRequest } from 'fastify';

/** Path prefixes whose next segment is a capability (`/l/<token>`, `/unsubscribe/<token>`, …). */
const capabilityPaths = ['unsubscribe', 'l', 'setup', 'sign-in', 'invite', 'reset-password', 'magic-link'];
const capabilityPath = new RegExp(`(/(?:${capabilityPaths.join('|')})/)[^/?#\\s"']+`, 'g');
/** Query parameters whose value is a credential. */
const credentialWords = 'token|key|secret|signature|password|code|sig|auth';
const capabilityParameter = new RegExp(`([?&](?:[\\w.-]*(?:${credentialWords})[\\w.-]*)=)[^&#\\s"']*`, 'gi');

/** A URL, or any text holding one, with its capability tokens replaced by `[redacted]`. */
export function redactCapabilities(text: string): string {
  return text.replace(capabilityPath, '$1[redacted]').replace(capabilityParameter, '$1[redacted]');
}

/** Fastify's request line for the log, with the URL redacted. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactCapabilities(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** pino's hook on every log call: the message texts (e.g. Fastify's "Route PUT:/l/… not found") redacted. */
export function redactLogArguments(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
  method.apply(
    this,
    args.map((argument) => (typeof argument === 'string' ? redactCapabilities(argument) : argument)),
  );
}
