// The policy in force, read-only, for the Settings page: value tiers and their shares, the contact
// cadence per tier, signal thresholds, health weights, the send policy and the API's limits. It is
// set in tend.config.yaml and read once at start; admins only.
import { type TSchema, type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type SendPolicy, sendPolicyWith } from '../domain/playbooks/send-policy.js';
import { signalSettings, type SignalSettings } from '../domain/relationship/signals/registry.js';
import type { SettingValue } from '../domain/relationship/signals/signal-settings.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { assertNever } from '../domain/tracking-message.js';
import { appSecurity } from './account-list-routes.js';
import type { Credentials } from './credentials.js';
import { List, Nullable, OneOf } from './relationship-schemas.js';

const Limit = Type.Object({ perSecond: Type.Number(), burst: Type.Number() });

/** A setting's value as the policy answers it: numbers and texts, or lists of them. */
const settingSchema = (value: SettingValue<unknown>): TSchema => {
  switch (value.shape) {
    case 'number':
      return Type.Number();
    case 'text':
      return Type.String();
    case 'numbers':
      return List(Type.Number());
    case 'texts':
      return List(Type.String());
    default:
      return assertNever(value.shape);
  }
};

/** Each kind of signal's thresholds, as its definition declares them (domain/relationship/signals/). */
const SignalThresholds = Type.Unsafe<SignalSettings>(
  Type.Object(
    Object.fromEntries(
      signalSettings.map(({ name, form }) => [
        name,
        form.kind === 'value'
          ? settingSchema(form.value)
          : Type.Object(
              Object.fromEntries(Object.entries(form.fields).map(([field, value]) => [field, settingSchema(value)])),
            ),
      ]),
    ),
  ),
);

const dayMilliseconds = 86_400_000;

/** Where e-mail goes: an SMTP server, or the local mailbox (GET /api/v1/outbox). */
type EmailDelivery = 'smtp' | 'local-mailbox';

export const Policy = Type.Object(
  {
    value: Type.Object({
      basis: OneOf(['profit', 'revenue'] as const, { description: 'what tiers rank accounts by' }),
      windowDays: Type.Integer({ description: 'invoices count toward value over this many days' }),
      tiers: List(
        Type.Object({
          name: Type.String(),
          upToShare: Type.Number({ description: 'the tier holds accounts up to this cumulative share of value' }),
          share: Type.Number({ description: 'the share of value the tier holds' }),
        }),
        { description: 'most valuable first' },
      ),
    }),
    cadences: List(
      Type.Object({
        tier: Type.String(),
        everyDays: Type.Integer({ description: 'a substantive two-way human contact is due this often' }),
        objective: Type.String(),
        methods: List(Type.String(), { description: 'preferred, best first' }),
      }),
    ),
    signals: SignalThresholds,
    health: Type.Object({
      weights: Type.Object({
        engagement: Type.Number(),
        relationship: Type.Number(),
        voice: Type.Number(),
        effort: Type.Number(),
        money: Type.Number(),
        churnRisk: Type.Number(),
        promises: Type.Number(),
      }),
      learning: Type.Object({
        enabled: Type.Boolean({ description: 'false: the hand weights always' }),
        minimumLostAccounts: Type.Integer({ description: 'lost accounts needed before weights are learned' }),
      }),
    }),
    today: Type.Object({ size: Type.Integer({ description: "entries on a rep's today list" }) }),
    sending: Type.Object({
      quietHours: Nullable(
        Type.Object({ start: Type.String(), end: Type.String() }, { description: "in the person's time zone" }),
      ),
      frequencyCap: Nullable(Type.Object({ maxMessages: Type.Integer(), withinDays: Type.Number() })),
      capPolicy: OneOf(['defer', 'skip'] as const),
      optInRequired: List(Type.String(), { description: 'channels that need an explicit opt-in' }),
      defaultTimeZone: Type.String(),
      pauseAfterReplyHours: Type.Number({
        description: 'after a customer writes in, automated messages to them wait this long (0: no pause)',
      }),
    }),
    limits: Type.Object({
      tracking: Type.Object({ requests: Limit, events: Limit }),
      admin: Type.Object({ perToken: Limit, perAddress: Limit, failedAuthentications: Limit }),
    }),
    ingest: Type.Object({ maximumAgeDays: Type.Number(), maximumFutureHours: Type.Number() }),
    retention: Type.Object({ eventsDays: Nullable(Type.Number({ description: 'null: events are kept' })) }),
    email: Type.Object({
      delivery: OneOf(['smtp', 'local-mailbox'] as const, {
        description:
          'SMTP (TEND_SMTP_URL): e-mail goes out, and admins can e-mail sign-in links; else the local mailbox',
      }),
    }),
  },
  { title: 'Policy' },
);

/** The policy as the Settings page shows it: each tier with the share of value it holds. */
export function policyView(config: TendConfig, sending: SendPolicy, emailDelivery: EmailDelivery) {
  const tiers = config.value.tiers.map((tier, index) => ({
    name: tier.name,
    upToShare: tier.upToShare,
    share: tier.upToShare - (config.value.tiers[index - 1]?.upToShare ?? 0),
  }));
  const cadences = Object.entries(config.cadence).map(([tier, cadence]) => ({ tier, ...cadence }));
  const cap = sending.frequencyCap;
  return {
    value: { basis: config.value.basis, windowDays: config.value.windowDays, tiers },
    cadences,
    signals: config.signals,
    health: config.health,
    today: config.today,
    sending: {
      quietHours: sending.quietHours,
      frequencyCap: cap === null ? null : { maxMessages: cap.maxMessages, withinDays: cap.withinMs / dayMilliseconds },
      capPolicy: sending.capPolicy,
      optInRequired: sending.optInRequired,
      defaultTimeZone: sending.defaultTimeZone,
      pauseAfterReplyHours: sending.replyPauseMs / 3_600_000,
    },
    limits: config.limits,
    ingest: config.ingest,
    retention: config.retention,
    email: { delivery: emailDelivery },
  };
}

export async function policyRoutes(
  plain: FastifyInstance,
  dependencies: { credentials: Credentials; config: TendConfig; emailDelivery: EmailDelivery },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  server.get(
    '/api/v1/policy',
    {
      schema: {
        tags: ['settings'],
        summary: 'The policy in force: tiers, cadences, signal thresholds, send policy, limits (admins)',
        description: 'Set in tend.config.yaml and read at start; the send policy is built in.',
        security: appSecurity,
        response: { 200: Policy },
      },
    },
    // Sends follow the built-in send policy; tend.config.yaml sets only its pause after a reply (conversations).
    async () => {
      const sending = sendPolicyWith(dependencies.config.conversations.pauseAutomationHours);
      return policyView(dependencies.config, sending, dependencies.emailDelivery);
    },
  );
}
