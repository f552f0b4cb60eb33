// Names for the shapes the pages use, taken from the generated API types (never written by hand).
// openapi-fetch answers with its `Readable` view of a schema; the names here use the same view.
import type { Readable } from 'openapi-typescript-helpers';
import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Json<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of an operation's success (200 or 201). */
export type Reply<Path extends keyof paths, Verb extends Method = 'get'> =
  NonNullable<paths[Path][Verb]> extends { responses: infer Responses }
    ? Readable<Json<Responses[keyof Responses & (200 | 201)]>>
    : never;

/** The JSON body an operation takes. */
export type RequestBody<Path extends keyof paths, Verb extends Method> =
  NonNullable<paths[Path][Verb]> extends { requestBody?: { content: { 'application/json': infer Body } } }
    ? Body
    : never;

/** The query parameters an operation takes. */
export type Query<Path extends keyof paths, Verb extends Method = 'get'> =
  NonNullable<paths[Path][Verb]> extends { parameters: { query?: infer Parameters } } ? NonNullable<Parameters> : never;
