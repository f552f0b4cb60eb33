// The signals Tend raises, in words a rep uses. The list is checked against the API's types, so a new
// kind of signal fails the type check here until it has its words.
import type { Query } from '../api/types';

export type SignalKind = NonNullable<Query<'/api/v1/accounts'>['signal']>;

export const signalWords = {
  neglected: 'Neglected',
  'async-only': 'Only e-mails, nobody spoke',
  'never-spoken': 'Never spoken to',
  disengaging: 'Using it less',
  'at-risk': 'At risk of leaving',
  detractor: 'Unhappy',
  'high-effort': 'Struggling with a problem',
  'slow-response': 'Waiting for an answer',
  'renewal-approaching': 'Renewal coming',
  'payment-late': 'Payment late',
  'onboarding-stalled': 'Onboarding stalled',
  'moment-that-matters': 'A moment that matters',
} as const satisfies Record<SignalKind, string>;

export const signalKinds = Object.keys(signalWords) as SignalKind[];

export const signalWord = (kind: string): string => (kind in signalWords ? signalWords[kind as SignalKind] : kind);
