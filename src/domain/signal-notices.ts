// Which raised signals reach a person at once, and in what words: any signal on an account of the top value
// tier goes to its owner; a customer left waiting (slow-response) goes to its owner whatever the tier, and
// to the owner's manager once the wait has reached twice the allowance.
import { signalRegistry } from './relationship/signals/registry.js';
import type { SignalKind } from './relationship/signal.js';
import type { TendConfig } from './relationship/tend-config.js';
import { defaultNoticeDelivery, type StaffNoticeKind } from './staff-notices.js';

/** A slow-response notice is about a customer waiting for an answer: it follows the person's choice for replies. */
function signalNoticeKind(kind: SignalKind): StaffNoticeKind {
  return kind === 'slow-response' ? 'reply' : 'signal';
}

export interface SignalNoticeWording {
  readonly noticeKind: StaffNoticeKind;
  readonly defaultDelivery: (typeof defaultNoticeDelivery)[StaffNoticeKind];
  readonly title: string;
  readonly reason: string;
  readonly path: string;
}

/** The notice for a signal raised on an account (the account's name is put in front as it goes out). */
export function signalNoticeWording(signal: {
  readonly accountId: string;
  readonly kind: SignalKind;
  readonly reasons: readonly string[];
}): SignalNoticeWording {
  const noticeKind = signalNoticeKind(signal.kind);
  return {
    noticeKind,
    defaultDelivery: defaultNoticeDelivery[noticeKind],
    title: signalRegistry[signal.kind].label,
    reason: signal.reasons.length > 0 ? signal.reasons.join('\n') : `Tend raised "${signal.kind}" on this account.`,
    path: `/accounts/${encodeURIComponent(signal.accountId)}`,
  };
}

/**
 * How long after its deadline an open slow-response goes to the owner's manager: one more allowance, so
 * the customer has by then waited twice as long as the business aims to answer within.
 */
export function slowResponseManagerDelayMs(config: TendConfig, instance: string): number {
  const { inboundHours, leadMinutes } = config.signals.slowResponse;
  return instance === 'new-lead' ? leadMinutes * 60_000 : inboundHours * 3_600_000;
}
