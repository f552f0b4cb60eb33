// The clock: what time Tend thinks it is (anyone signed in may ask), and (with TEND_CLOCK=manual, admins
// only) moving it forward, running everything that came due in between, in order, before answering.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { parseDuration } from '../domain/duration.js';
import { storableTimeProblem } from '../domain/time-limits.js';
import { ManualClock } from '../engine/clocks.js';
import type { Scheduler } from '../engine/scheduler.js';
import type { Credentials } from './credentials.js';
import type { Kysely } from 'kysely';
import { storeClockInstant } from '../store/manual-clock-store.js';
import type { Database } from '../store/schema.js';

const ClockReading = Type.Object(
  { now: Type.String({ format: 'date-time' }), kind: Type.Union([Type.Literal('manual'), Type.Literal('system')]) },
  { title: 'ClockReading' },
);

const ClockAdvance = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    now: Type.String({ format: 'date-time' }),
    evaluated: Type.Integer({ description: 'account evaluations run on the way' }),
    raised: Type.Integer({ description: 'signals raised' }),
    cleared: Type.Integer({ description: 'signals cleared' }),
  },
  { title: 'ClockAdvance' },
);

/** The longest single move of the manual clock. */
const maximumAdvanceDays = 3653;

export interface ClockRouteDependencies {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly credentials: Credentials;
}

export async function clockRoutes(plain: FastifyInstance, dependencies: ClockRouteDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { clock, scheduler } = dependencies;
  const { credentials } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  server.get(
    '/api/v1/clock',
    {
      schema: {
        tags: ['clock'],
        summary: 'The current time of Tend, and whether it is manual',
        security,
        response: { 200: ClockReading },
      },
    },
    async () => ({ now: clock.now().toISOString(), kind: clock instanceof ManualClock ? 'manual' : 'system' }) as const,
  );
  server.post(
    '/api/v1/clock/advance',
    {
      schema: {
        tags: ['clock'],
        summary:
          'Move a manual clock forward by an ISO 8601 duration (e.g. P31D, PT6H) or to an instant, running ' +
          'everything due in between (admins only)',
        security,
        body: Type.Object({
          by: Type.Optional(Type.String({ examples: ['P31D'] })),
          to: Type.Optional(Type.String({ examples: ['2026-03-01T00:00:00Z'] })),
        }),
        response: { 200: ClockAdvance },
      },
      // After the instance's authenticate hook, before the body is read: nothing is validated for others.
      onRequest: async (request) => credentials.requireAdminViewer(request),
    },
    async (request) => {
      if (!(clock instanceof ManualClock)) {
        throw new TendError(
          'conflict',
          'The clock is the system clock and cannot be moved: ' +
            'start Tend with TEND_CLOCK=manual TEND_CLOCK_START=… to move time.',
          [{ field: 'clock', message: 'is not manual' }],
        );
      }
      const from = clock.now();
      let target: Date;
      if (request.body.by !== undefined && request.body.to === undefined) {
        const milliseconds = parseDuration(request.body.by);
        if (milliseconds === null)
          throw new TendError(
            'invalid_request',
            `"by" must be an ISO 8601 duration such as P31D, PT12H or P1DT6H; got ${JSON.stringify(request.body.by)}.`,
            [{ field: 'body.by', message: 'is not an ISO 8601 duration' }],
          );
        target = new Date(from.getTime() + milliseconds);
      } else if (request.body.to !== undefined && request.body.by === undefined) {
        target = new Date(request.body.to);
        if (Number.isNaN(target.getTime()) || target < from)
          throw new TendError(
            'invalid_request',
            `"to" must be an instant not before the clock's ${from.toISOString()}; ` +
              `got ${JSON.stringify(request.body.to)}.`,
            [{ field: 'body.to', message: 'is not a later instant' }],
          );
      } else {
        throw new TendError(
          'invalid_request',
          'Send either "by" (an ISO 8601 duration such as P31D) or "to" (an instant).',
          [{ field: 'body', message: 'needs exactly one of by, to' }],
        );
      }
      const unstorable = storableTimeProblem(target);
      if (unstorable !== null) {
        const field = request.body.by !== undefined ? 'body.by' : 'body.to';
        const problem = { field, message: `leads to a time that ${unstorable}` };
        throw new TendError('invalid_request', `The clock would move to a time that ${unstorable}.`, [problem]);
      }
      // Everything due in between runs day by day: a leap of centuries would hold the request for hours.
      if (target.getTime() - from.getTime() > maximumAdvanceDays * 86_400_000) {
        const field = request.body.by !== undefined ? 'body.by' : 'body.to';
        throw new TendError(
          'invalid_request',
          `The clock moves at most ${maximumAdvanceDays} days (about ten years) at a time; move it in steps.`,
          [{ field, message: `is more than ${maximumAdvanceDays} days ahead` }],
        );
      }
      const outcome = await scheduler.advanceTo(target, async (at) => {
        await storeClockInstant(dependencies.database, clock.moveTo(at));
      });
      return { from: from.toISOString(), now: clock.now().toISOString(), ...outcome };
    },
  );
}
