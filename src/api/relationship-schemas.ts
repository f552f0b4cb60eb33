// What the relationship API answers: users, signals, health, contact audits, a rep's today list and a
// manager's oversight, as TypeBox schemas. Fastify serializes with them (a field not declared here is
// not sent) and /docs documents them; the titles name them for the app's generated types.
import { type Static, type TSchema, Type } from '@fastify/type-provider-typebox';
import type { TouchChannel } from '../domain/relationship/account-snapshot.js';
import { type SignalKind, signalKinds } from '../domain/relationship/signal.js';
import { type UserRole, userRoles } from '../store/users.js';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Time = Type.String({ format: 'date-time' });
export const OptionalTime = Nullable(Time);
export const Text = Nullable(Type.String());
/** Open-ended JSON (traits, properties): whatever was sent is answered as it is. */
export const JsonObject = Type.Record(Type.String(), Type.Unknown());
/** An array, typed readonly so that the domain's readonly lists can be answered as they are. */
export const List = <T extends TSchema>(items: T, options: { description?: string } = {}) =>
  Type.Unsafe<readonly Static<T>[]>(Type.Array(items, options));
/** One of a closed list of words, typed as their union. */
export const OneOf = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

const SignalKindSchema = OneOf<SignalKind>(signalKinds);
const touchChannels: readonly TouchChannel[] = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'];
const TouchChannelSchema = OneOf(touchChannels);

export const User = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Text,
    role: OneOf<UserRole>(userRoles),
    managerEmail: Text,
    createdAt: Time,
    disabled: Type.Boolean({ description: 'a disabled person cannot sign in' }),
  },
  { title: 'User' },
);

export const UserList = Type.Object({ users: List(User) }, { title: 'UserList' });

export const LoggedInteraction = Type.Object(
  { success: Type.Literal(true), accountId: Type.String({ description: 'the account the touch counts for' }) },
  { title: 'LoggedInteraction' },
);

const Signal = Type.Object(
  {
    id: Type.String(),
    kind: SignalKindSchema,
    instance: Type.Optional(Type.String({ description: 'which occurrence, for kinds that can hold several times' })),
    accountId: Type.String(),
    accountName: Text,
    contactId: Nullable(Type.String({ description: 'the person the signal is about; null: the account' })),
    owner: Text,
    severity: Type.Integer({ minimum: 0, maximum: 100 }),
    valueAtStake: Type.Number({ description: "in the account's currency (major units)" }),
    currency: Text,
    reasons: List(Type.String()),
    deadlineAt: OptionalTime,
    raisedAt: Time,
    clearedAt: OptionalTime,
    open: Type.Boolean(),
  },
  { title: 'Signal' },
);

export const SignalList = Type.Object({ signals: List(Signal) }, { title: 'SignalList' });

const HealthComponent = Type.Object(
  {
    name: Type.String(),
    weight: Type.Number({ description: 'its share of the score (the weights of components with input add up to 1)' }),
    score: Nullable(Type.Number({ description: '0–100; null when its input is missing' })),
    pull: Type.Number({
      description: 'the points it takes off the score: weight × (100 − score); what weighed most for this account',
    }),
    reasons: List(Type.String()),
  },
  { title: 'HealthComponent' },
);

export const AccountHealth = Type.Object(
  {
    accountId: Type.String(),
    score: Type.Integer({ minimum: 0, maximum: 100, description: 'with the weights in effect (weightsSource)' }),
    configuredScore: Nullable(
      Type.Integer({ description: 'with the configured (hand) weights; null in days scored before it was kept' }),
    ),
    churnProbability: Nullable(
      Type.Number({
        description: "the learned model's chance the account is lost within 13 weeks; null: hand weights",
      }),
    ),
    weightsSource: OneOf(['learned', 'hand'] as const, {
      description: "learned from the book's own losses, or the configured weights (GET /api/v1/health/model)",
    }),
    day: Type.String({ format: 'date' }),
    computedAt: Time,
    components: List(HealthComponent),
    reasons: List(Type.String(), { description: 'what pulled the score down most, most first' }),
    trend: Nullable(Type.Object({ since: Type.String({ format: 'date' }), change: Type.Integer() })),
    history: List(
      Type.Object({
        day: Type.String({ format: 'date' }),
        score: Type.Integer(),
        configuredScore: Nullable(Type.Integer()),
        churnProbability: Nullable(Type.Number()),
      }),
      { description: 'one score a day, oldest first' },
    ),
  },
  { title: 'AccountHealth' },
);

const ContactWindow = Type.Object(
  {
    days: Type.Integer(),
    total: Type.Integer(),
    byChannel: Type.Object(Object.fromEntries(touchChannels.map((channel) => [channel, Type.Integer()]))),
    byDirection: Type.Object({ inbound: Type.Integer(), outbound: Type.Integer() }),
    byActor: Type.Object({ rep: Type.Integer(), system: Type.Integer(), customer: Type.Integer() }),
    twoWay: Type.Integer(),
    spokenShare: Nullable(Type.Number({ description: 'share spoken (phone, video, meeting); null without touches' })),
  },
  { title: 'ContactWindow' },
);

export const AccountContactAudit = Type.Object(
  {
    accountId: Type.String(),
    asOf: Time,
    tier: Text,
    lastSpokenAt: OptionalTime,
    windows: List(ContactWindow, { description: 'the last 30, 90 and 365 days' }),
    lastSubstantiveContactAt: OptionalTime,
    daysSinceSubstantiveContact: Nullable(Type.Integer()),
  },
  { title: 'AccountContactAudit' },
);

export const BookAudit = Type.Object(
  {
    asOf: Time,
    owner: Nullable(Type.String({ description: 'the owner asked for; null: every account the viewer sees' })),
    unattendedValuable: List(Type.String(), { description: 'valuable accounts nobody touched in 90 days' }),
    overAttended: List(Type.String()),
    byRep: List(
      Type.Object({
        repEmail: Type.String(),
        accounts: Type.Integer(),
        touches90: Type.Integer(),
        spokenShare: Nullable(Type.Number()),
        windows: List(ContactWindow),
      }),
    ),
    accounts: List(
      Type.Object({
        accountId: Type.String(),
        name: Text,
        owner: Text,
        tier: Text,
        value: Type.Number(),
        valueShare: Type.Number(),
        attentionShare: Type.Number(),
        touches90: Type.Integer(),
        daysSinceSubstantiveContact: Nullable(Type.Integer()),
        windows: List(ContactWindow),
      }),
    ),
  },
  { title: 'BookAudit' },
);

export const Person = Type.Object({ id: Type.String(), email: Type.String(), name: Text });

const TodayEntry = Type.Object(
  {
    accountId: Type.String(),
    name: Text,
    score: Type.Number({ description: 'value × risk × overdue' }),
    tier: Type.String(),
    valueMinor: Type.Number({ description: 'the contribution tiers rank by, per year, in minor units' }),
    why: List(Type.String()),
    suggestedMethod: TouchChannelSchema,
    objective: Type.String(),
    talkingPoints: List(Type.String()),
    signals: List(SignalKindSchema),
    currency: Text,
    valueAtStakeMinor: Type.Number({ description: 'the money at stake if nobody acts, in minor units' }),
    deadlineAt: Nullable(Time),
    contact: Nullable(
      Type.Object(
        { id: Type.String(), name: Text, email: Text, phone: Text },
        { description: 'whom to contact: the person a signal is about, else the latest of the account' },
      ),
    ),
  },
  { title: 'TodayEntry' },
);

export const TodayList = Type.Object(
  { rep: Person, asOf: Time, accountsOwned: Type.Integer(), entries: List(TodayEntry) },
  { title: 'TodayList' },
);

export const RepOversight = Type.Object(
  {
    repEmail: Type.String(),
    accountsOwned: Type.Integer(),
    withinCadenceShare: Nullable(Type.Number()),
    neglectedAccounts: Type.Integer({ description: 'how many of the accounts are neglected' }),
    neglected: List(Type.Object({ accountId: Type.String(), name: Text, valueMinor: Type.Number() }), {
      description:
        'the most valuable neglected accounts, at most 10, most valuable first (all of them: the account list, ' +
        'filtered by owner and signal neglected, sorted by value)',
    }),
    asyncOnlyShare: Nullable(Type.Number()),
    medianResponseMinutes: Nullable(Type.Number()),
    signalsPastDeadline: Type.Integer(),
    revenueAtRiskMinor: Type.Number({
      description: 'the money at risk added up in minor units whatever the currency; see revenueAtRisk',
    }),
    revenueAtRisk: List(Type.Object({ currency: Text, amountMinor: Type.Number() }), {
      description: 'money at risk per currency (minor units), the largest first; currencies are never added together',
    }),
    tiers: List(
      Type.Object({
        tier: Nullable(Type.String({ description: 'null: not ranked into a tier yet' })),
        accounts: Type.Integer(),
        withinCadence: Type.Integer({ description: 'accounts not neglected' }),
      }),
      { description: 'coverage per tier, A first' },
    ),
  },
  { title: 'RepOversight' },
);

/** A seller whose customers leave faster than the company's (the retention report's flag, in words). */
export const SellerLosingCustomers = Type.Object(
  {
    seller: Type.String({ description: "the seller's e-mail (acquiredBy)" }),
    name: Text,
    goneShare: Type.Number({ description: 'share of the accounts they won gone within 6 months' }),
    goneLower: Type.Number({ description: "that share's 95 % interval" }),
    goneUpper: Type.Number(),
    companyGoneShare: Type.Number({ description: "the company's share gone within 6 months" }),
    accountsWon: Type.Integer(),
    revenueWon: List(Type.Object({ currency: Text, amountMinor: Type.Number() }), {
      description: 'yearly revenue of the accounts they won, per currency',
    }),
    words: Type.String(),
  },
  { title: 'SellerLosingCustomers' },
);

export const Oversight = Type.Object(
  {
    manager: Person,
    asOf: Time,
    reps: List(RepOversight),
    sellersLosingCustomers: List(SellerLosingCustomers, {
      description: "sellers of the team whose customers leave markedly faster than the company's",
    }),
  },
  { title: 'Oversight' },
);
