// When an account was lost, for the retention report: a contract customer is lost when it cancels (or is
// marked churned); a customer without a contract, who buys when they like, is lost when the purchase
// model says it is probably gone (P(alive) at or below the at-risk threshold), as of its last purchase.

/** What the store knows of an account that bears on whether, and when, it was lost. */
export interface AccountLossFacts {
  /** Its first `Subscription Cancelled`; null: none. */
  readonly cancelledAt: Date | null;
  /** When it was marked churned (its record's last change), null unless its lifecycle stage is churned. */
  readonly markedChurnedAt: Date | null;
  /** Whether it has a contract: any subscription event, or a renewal date among its traits. */
  readonly hasContract: boolean;
  /** P(alive) from the purchase model; null: the model has not judged it. */
  readonly probabilityAlive: number | null;
  /** Its last purchase or, without one, its last activity; null: neither is known. */
  readonly lastBoughtAt: Date | null;
}

export type AccountLoss =
  | { readonly kind: 'kept' }
  | { readonly kind: 'cancelled'; readonly at: Date }
  | { readonly kind: 'stopped-buying'; readonly at: Date; readonly probabilityAlive: number };

/**
 * Whether and when the account was lost. A cancellation counts whatever the contract; the earlier of a
 * cancellation and a churned mark wins. Without a contract, a P(alive) at or below `aliveThreshold`
 * (signals.atRisk.probabilityAlive, the at-risk signal's own) means lost at the last purchase: that is
 * when it stopped being a customer, not the day the model noticed. With neither purchase nor activity
 * known, the model's verdict has nothing to date it by and the account counts as kept.
 */
export function accountLoss(facts: AccountLossFacts, aliveThreshold: number): AccountLoss {
  const ended = [facts.cancelledAt, facts.markedChurnedAt].filter((at): at is Date => at !== null);
  if (ended.length > 0) return { kind: 'cancelled', at: new Date(Math.min(...ended.map((at) => at.getTime()))) };
  if (
    !facts.hasContract &&
    facts.probabilityAlive !== null &&
    facts.probabilityAlive <= aliveThreshold &&
    facts.lastBoughtAt !== null
  )
    return { kind: 'stopped-buying', at: facts.lastBoughtAt, probabilityAlive: facts.probabilityAlive };
  return { kind: 'kept' };
}
