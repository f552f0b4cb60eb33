// The one way in for inbound e-mail, from Tend's SMTP listener and a mail service's webhook alike: a delivery
// report to bounces, a rep's copy to log@ to capture, the rest to the conversations. Only a proven From address
// names a rep or a contact (domain/mail/sender-verdict.ts). It resolves once all is committed, so the caller may
// then say it has the message (SMTP 250, HTTP 200); a failure is thrown.
import type { InboundMail } from '../channels/inbound-email.js';
import { type InboundRoute, routeOfInboundMail } from '../domain/mail/inbound-route.js';
import { believesFrom, type SenderVerdict } from '../domain/mail/sender-verdict.js';
import { assertNever } from '../domain/tracking-message.js';
import { recordBounces } from './email-bounces.js';
import { type CaptureOutcome, captureRepEmail } from './email-capture.js';
import { type InboundMailDependencies, recordInboundMail } from './inbound-mail.js';

/** Where the mail went, and for a rep's copy what became of it. */
export type RoutedMail =
  | { readonly route: 'capture'; readonly capture: CaptureOutcome }
  /** From an unproven sender, it recorded nothing (a copy to log@, or mail to no thread): the caller says why. */
  | { readonly route: 'unverified'; readonly wanted: 'capture' | 'conversation'; readonly reason: string }
  | { readonly route: Exclude<InboundRoute['kind'], 'capture'> };

/**
 * Routes the mail; `sender` says whether its From address is proven. A bounce needs no proof (its return path
 * names the message); a rep's copy does, or it logs nothing and answers nobody; mail from an unproven sender
 * lands in a conversation only as a reply to a thread address, which it must know.
 */
export async function routeInboundMail(
  dependencies: InboundMailDependencies,
  mail: InboundMail,
  sender: SenderVerdict,
): Promise<RoutedMail> {
  const { settings } = dependencies;
  if (settings.kind === 'disabled') return { route: 'ignore' };
  const traits = {
    recipients: mail.recipients,
    deliveryReport: mail.deliveryReport !== null,
    automatic: mail.automatic,
  };
  const route = routeOfInboundMail(traits, settings.replyDomain);
  const proven = believesFrom(sender);
  const reason = sender.kind === 'unverified' ? sender.reason : '';
  switch (route.kind) {
    case 'bounce':
      await recordBounces(dependencies, mail);
      return { route: 'bounce' };
    case 'capture':
      if (!proven) return { route: 'unverified', wanted: 'capture', reason };
      return { route: 'capture', capture: await captureRepEmail(dependencies, mail, settings.replyDomain) };
    case 'conversation': {
      const recorded = await recordInboundMail(dependencies, mail, { senderVerified: proven });
      if (!proven && !recorded) return { route: 'unverified', wanted: 'conversation', reason };
      return { route: 'conversation' };
    }
    case 'ignore':
      return { route: 'ignore' };
    default:
      return assertNever(route);
  }
}

/** What the log says of mail an unproven sender sent: who and why, never what it said. */
export function unverifiedMailNote(mail: InboundMail, routed: RoutedMail) {
  if (routed.route !== 'unverified') return null;
  const what = routed.wanted === 'capture' ? "a copy to log@: no rep's touch logged, no answer" : 'nothing recorded';
  return {
    fields: { from: mail.from, messageId: mail.messageId, reason: routed.reason },
    message: `inbound e-mail from an unverified sender, ${what}`,
  };
}
