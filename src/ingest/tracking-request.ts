// Validates a Segment Tracking API request body (one call, or a batch) into typed messages. Every
// problem is collected with its place (batch index and field), so a sender learns everything that is
// wrong in one answer; one bad event rejects the whole request, so nothing of it is half-stored.
import { TendError, type FieldProblem } from '../domain/errors.js';
import { jsonProblems } from '../domain/json-limits.js';
import { isPromiseEvent, promiseEventProblems } from '../domain/relationship/promises.js';
import { type EventTimes, eventTimeProblem } from '../domain/time-limits.js';
import { accountFieldsFrom, contactFieldsFrom, describe } from '../domain/traits.js';
import { browserKeyProblems } from '../domain/write-key-kinds.js';
import {
  type JsonObject,
  type TrackingMessage,
  type TrackingMessageType,
  trackingMessageTypes,
} from '../domain/tracking-message.js';

/** Segment's published limits. */
export const maximumEventBytes = 32 * 1024;
export const maximumRequestBytes = 500 * 1024;

export interface TrackingRequest {
  readonly writeKey: string | null;
  readonly messages: TrackingMessage[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function identifier(
  raw: JsonObject,
  key: string,
  path: string,
  problems: FieldProblem[],
  index: number | undefined,
): string | null {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  problems.push({
    field: `${path}${key}`,
    message: `must be a string, got ${describe(value)}`,
    ...(index === undefined ? {} : { index }),
  });
  return null;
}

function objectField(
  raw: JsonObject,
  key: string,
  path: string,
  problems: FieldProblem[],
  index: number | undefined,
): JsonObject {
  const value = raw[key];
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  problems.push({
    field: `${path}${key}`,
    message: `must be an object, got ${describe(value)}`,
    ...(index === undefined ? {} : { index }),
  });
  return {};
}

function timestampField(
  raw: JsonObject,
  path: string,
  problems: FieldProblem[],
  index: number | undefined,
  times: EventTimes,
): Date | null {
  const value = raw.timestamp ?? raw.originalTimestamp;
  if (value === undefined || value === null) return null;
  const at = typeof value === 'string' ? new Date(value) : null;
  if (at === null || Number.isNaN(at.getTime())) {
    problems.push({
      field: `${path}timestamp`,
      message: `must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z, got ${describe(value)}`,
      ...(index === undefined ? {} : { index }),
    });
    return null;
  }
  const outside = eventTimeProblem(at, times.now, times.window);
  if (outside !== null) {
    problems.push({ field: `${path}timestamp`, message: outside, ...(index === undefined ? {} : { index }) });
    return null;
  }
  return at;
}

/** One message; `impliedType` is the endpoint's type for single calls, null inside a batch. */
function parseMessage(
  raw: unknown,
  impliedType: TrackingMessageType | null,
  index: number | undefined,
  problems: FieldProblem[],
  newMessageId: () => string,
  times: EventTimes,
): TrackingMessage | null {
  const path = index === undefined ? '' : `batch[${index}].`;
  const at = index === undefined ? {} : { index };
  if (!isObject(raw)) {
    problems.push({
      field: index === undefined ? 'body' : `batch[${index}]`,
      message: `must be a JSON object, got ${describe(raw)}`,
      ...at,
    });
    return null;
  }
  const size = Buffer.byteLength(JSON.stringify(raw));
  if (size > maximumEventBytes) {
    problems.push({
      field: index === undefined ? 'body' : `batch[${index}]`,
      message: `is ${Math.ceil(size / 1024)} KB; an event may be at most 32 KB: trim its properties or traits`,
      ...at,
    });
    return null;
  }
  const declaredType = raw.type;
  const type = impliedType ?? declaredType;
  if (typeof type !== 'string' || !(trackingMessageTypes as readonly string[]).includes(type)) {
    problems.push({
      field: `${path}type`,
      message: `must be one of ${trackingMessageTypes.join(', ')}, got ${describe(declaredType)}`,
      ...at,
    });
    return null;
  }
  const before = problems.length;
  const userId = identifier(raw, 'userId', path, problems, index);
  const anonymousId = identifier(raw, 'anonymousId', path, problems, index);
  if (userId === null && anonymousId === null && problems.length === before) {
    problems.push({
      field: `${path}userId`,
      message: 'is missing: every message needs a userId or an anonymousId',
      ...at,
    });
  }
  const messageId = identifier(raw, 'messageId', path, problems, index) ?? newMessageId();
  const base = {
    messageId,
    userId,
    anonymousId,
    timestamp: timestampField(raw, path, problems, index, times),
    context: objectField(raw, 'context', path, problems, index),
  };
  const messageType = type as TrackingMessageType;
  let message: TrackingMessage | null = null;
  switch (messageType) {
    case 'identify': {
      const traits = objectField(raw, 'traits', path, problems, index);
      const traitProblems: FieldProblem[] = [];
      contactFieldsFrom(traits, `${path}traits`, traitProblems);
      problems.push(...traitProblems.map((problem) => ({ ...problem, ...at })));
      message = { ...base, type: 'identify', traits };
      break;
    }
    case 'track': {
      const event = raw.event;
      if (typeof event !== 'string' || event.trim() === '') {
        problems.push({
          field: `${path}event`,
          message: `must be the event's name, a non-empty string such as "Signed In"; got ${describe(event)}`,
          ...at,
        });
      }
      const properties = objectField(raw, 'properties', path, problems, index);
      const name = typeof event === 'string' ? event.trim() : '';
      // A promise Tend cannot read (no id, no date) would be stored and never judged: refuse it, saying why.
      if (isPromiseEvent(name))
        for (const problem of promiseEventProblems(name, properties))
          problems.push({ field: `${path}properties.${problem.field}`, message: problem.message, ...at });
      message = { ...base, type: 'track', event: name, properties };
      break;
    }
    case 'page':
    case 'screen': {
      const name = identifier(raw, 'name', path, problems, index);
      message = { ...base, type: messageType, name, properties: objectField(raw, 'properties', path, problems, index) };
      break;
    }
    case 'group': {
      const groupId = identifier(raw, 'groupId', path, problems, index);
      if (groupId === null && !problems.some((problem) => problem.field === `${path}groupId`)) {
        problems.push({
          field: `${path}groupId`,
          message: 'is missing: a group call names the account it is about',
          ...at,
        });
      }
      const traits = objectField(raw, 'traits', path, problems, index);
      const traitProblems: FieldProblem[] = [];
      accountFieldsFrom(traits, `${path}traits`, traitProblems);
      problems.push(...traitProblems.map((problem) => ({ ...problem, ...at })));
      message = { ...base, type: 'group', groupId: groupId ?? '', traits };
      break;
    }
    case 'alias': {
      const previousId = identifier(raw, 'previousId', path, problems, index);
      if (previousId === null && !problems.some((problem) => problem.field === `${path}previousId`)) {
        problems.push({
          field: `${path}previousId`,
          message: 'is missing: alias needs the previous id to merge into userId',
          ...at,
        });
      }
      if (userId === null && anonymousId !== null) {
        problems.push({ field: `${path}userId`, message: 'is missing: alias merges previousId into a userId', ...at });
      }
      message = { ...base, type: 'alias', previousId: previousId ?? '' };
      break;
    }
  }
  return problems.length === before ? message : null;
}

/** Text that cannot be stored and nesting past the limit, anywhere in the body, each with its batch index. */
function unstorableParts(body: unknown): FieldProblem[] {
  return jsonProblems(body, '').map((problem) => {
    const index = /^batch\[(\d+)\]/.exec(problem.field)?.[1];
    return index === undefined ? problem : { ...problem, index: Number(index) };
  });
}

/**
 * Parses a request for the endpoint of the given type ('batch' for /v1/batch and /v1/import).
 * Throws a TendError listing every problem; returns the messages in order otherwise.
 */
export function parseTrackingRequest(
  body: unknown,
  endpoint: TrackingMessageType | 'batch',
  newMessageId: () => string,
  times: EventTimes,
): TrackingRequest {
  // First, before anything reads the body's parts: a NUL, a lone surrogate or deep nesting anywhere.
  const unstorable = unstorableParts(body);
  if (unstorable.length > 0) {
    const listed = unstorable
      .slice(0, 3)
      .map((problem) => `${problem.field} ${problem.message}`)
      .join('; ');
    throw new TendError('invalid_request', `Nothing was stored: ${listed}.`, unstorable);
  }
  if (!isObject(body)) {
    throw new TendError('invalid_request', `The request body must be a JSON object, got ${describe(body)}.`, [
      { field: 'body', message: 'must be a JSON object' },
    ]);
  }
  const problems: FieldProblem[] = [];
  const writeKey = typeof body.writeKey === 'string' && body.writeKey !== '' ? body.writeKey : null;
  const messages: TrackingMessage[] = [];
  if (endpoint === 'batch') {
    const batch = body.batch;
    if (!Array.isArray(batch)) {
      throw new TendError('invalid_request', 'A batch request needs a "batch" array of messages.', [
        { field: 'batch', message: `must be an array of messages, got ${describe(batch)}` },
      ]);
    }
    const batchContext = isObject(body.context) ? body.context : null;
    batch.forEach((raw, index) => {
      const withContext =
        batchContext && isObject(raw)
          ? { ...raw, context: { ...batchContext, ...(isObject(raw.context) ? raw.context : {}) } }
          : raw;
      const message = parseMessage(withContext, null, index, problems, newMessageId, times);
      if (message) messages.push(message);
    });
  } else {
    const message = parseMessage(body, endpoint, undefined, problems, newMessageId, times);
    if (message) messages.push(message);
  }
  if (problems.length > 0) {
    const where =
      endpoint === 'batch'
        ? `${new Set(problems.map((problem) => problem.index)).size} of the batch's messages`
        : 'the message';
    throw new TendError(
      'invalid_request',
      `Nothing was stored: ${where} had ${problems.length} problem(s). ${problems
        .slice(0, 3)
        .map((problem) => `${problem.field} ${problem.message}`)
        .join('; ')}`,
      problems,
    );
  }
  return { writeKey, messages };
}

/** A browser key's request holding what only a server may send: refused whole, nothing stored. */
export function refuseForBrowsers(messages: readonly TrackingMessage[], batch: boolean): void {
  const problems = browserKeyProblems(messages, batch);
  if (problems.length === 0) return;
  const listed = problems
    .slice(0, 3)
    .map((problem) => `${problem.field} ${problem.message}`)
    .join('; ');
  throw new TendError('forbidden', `Nothing was stored: ${listed}.`, problems);
}
