// The retention report's answer as TypeBox schemas: Fastify serializes with them and the app's types are
// generated from them (see src/domain/models/retention-cohort.ts for what each figure means).
import { type TProperties, Type } from '@fastify/type-provider-typebox';
import { List, SellerLosingCustomers, Text, Time } from './relationship-schemas.js';

const Share = Type.Number({ minimum: 0, maximum: 1 });

/** A figure, or in words why there is none ("too few accounts to judge: 12"). */
const Judgement = <T extends TProperties>(figures: T, title: string) =>
  Type.Union(
    [
      Type.Object({ kind: Type.Literal('judged'), ...figures }, { title }),
      Type.Object(
        { kind: Type.Literal('too-few'), accounts: Type.Integer(), words: Type.String() },
        { description: 'fewer than 30 accounts to judge by' },
      ),
      Type.Object(
        { kind: Type.Literal('not-fitted'), words: Type.String() },
        { description: 'the model cannot be fitted (under 6 months of history, nobody left yet, or everybody did)' },
      ),
    ],
    { description: 'judged: the figures; too-few or not-fitted: why not, in words' },
  );

const RetainedShare = {
  accounts: Type.Integer({ description: 'accounts won at least this many months ago: the ones judged' }),
  retained: Type.Integer({ description: 'of them, still customers that many months after they were won' }),
  share: Share,
  lower: Type.Number({ description: "the share's 95 % interval (Wilson score)" }),
  upper: Type.Number(),
};

const Projection = {
  period: Type.Literal('month', { description: 'the model is fitted to whole months of life; a year is 12' }),
  alpha: Type.Number({
    description: 'α and β: how the monthly chance of leaving varies among accounts; its mean is α / (α + β)',
  }),
  beta: Type.Number(),
  logLikelihood: Type.Number(),
  monthsObserved: Type.Integer(),
  shareLeft: List(Type.Object({ years: Type.Integer(), share: Share }), {
    description: 'the share of a new cohort expected still to be customers after 1, 2, 3 and 5 years',
  }),
  discountedMonths: Type.Number({ description: 'months an account won is expected to stay, discounted 10 % a year' }),
};

const Money = Type.Object({ currency: Text, amountMinor: Type.Number() });

const CohortFigures = {
  accounts: Type.Integer({ description: 'accounts won in the group' }),
  retention: List(Type.Object({ months: Type.Integer(), judgement: Judgement(RetainedShare, 'RetainedShare') }), {
    description: 'the share still customers 3, 6 and 12 months after they were won',
  }),
  revenueRetained: List(
    Type.Object({
      currency: Text,
      wonMinor: Type.Number({ description: 'yearly revenue of the accounts won (minor units)' }),
      retainedMinor: Type.Number({ description: 'of it, what accounts still customers bring' }),
      share: Type.Union([Share, Type.Null()]),
    }),
    { description: 'per currency: amounts in different currencies are never added' },
  ),
  projection: Judgement(Projection, 'RetentionProjection'),
  lifetimeValue: Type.Union([
    Type.Object({
      perCurrency: List(Money, {
        description: "an account's average yearly revenue over its discounted expected life, per currency",
      }),
    }),
    Type.Object({ unknown: Type.String({ description: 'why there is no value' }) }),
  ]),
};

export const RetentionReport = Type.Object(
  {
    by: Type.String(),
    asOf: Time,
    company: Type.Object(CohortFigures, { description: 'every account of the company: what groups are held against' }),
    groups: List(
      Type.Object({
        key: Type.Union([Type.String(), Type.Null()], {
          description: "the seller's e-mail, the channel, the campaign or the quarter (2026-Q1); null: not recorded",
        }),
        ...CohortFigures,
      }),
      { description: 'the largest first (quarters in time order); not recorded last' },
    ),
    sellersLosingCustomers: List(SellerLosingCustomers, {
      description:
        'by seller: those whose share of customers gone within 6 months lies, 95 % interval and all, ' +
        "above the company's",
    }),
  },
  { title: 'RetentionReport' },
);
