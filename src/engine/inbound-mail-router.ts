// The one way in for inbound e-mail, from Tend's SMTP listener and a mail service's webhook alike: a delivery
// report to bounces, a rep's copy to log@ to capture, the rest to the conversations. It resolves once all is
// committed, so the caller may then say it has the message (SMTP 250, HTTP 200); a failure is thrown.
import type { InboundMail } from '../channels/inbound-email.js';
import { assertNever } from '../domain/tracking-message.js';
import { type InboundRoute, routeOfInboundMail } from '../domain/mail/inbound-route.js';
import { recordBounces } from './email-bounces.js';
import { type CaptureOutcome, captureRepEmail } from './email-capture.js';
import { type InboundMailDependencies, recordInboundMail } from './inbound-mail.js';

/** Where the mail went, and for a rep's copy what became of it. */
export type RoutedMail =
  | { readonly route: 'capture'; readonly capture: CaptureOutcome }
  | { readonly route: Exclude<InboundRoute['kind'], 'capture'> };

export async function routeInboundMail(dependencies: InboundMailDependencies, mail: InboundMail): Promise<RoutedMail> {
  const { settings } = dependencies;
  if (settings.kind === 'disabled') return { route: 'ignore' };
  const traits = {
    recipients: mail.recipients,
    deliveryReport: mail.deliveryReport !== null,
    automatic: mail.automatic,
  };
  const route = routeOfInboundMail(traits, settings.replyDomain);
  switch (route.kind) {
    case 'bounce':
      await recordBounces(dependencies, mail);
      return { route: 'bounce' };
    case 'capture':
      return { route: 'capture', capture: await captureRepEmail(dependencies, mail, settings.replyDomain) };
    case 'conversation':
      await recordInboundMail(dependencies, mail);
      return { route: 'conversation' };
    case 'ignore':
      return { route: 'ignore' };
    default:
      return assertNever(route);
  }
}
