// Who really sent a message to Tend's own SMTP listener: SPF for the connecting address and the envelope sender,
// the DKIM signatures, and DMARC for the From domain (mailauth), read into the one verdict of
// domain/mail/sender-verdict.ts. No DNS answer, or a check that breaks, leaves the sender unverified.
import { Resolver } from 'node:dns/promises';
import { type AuthenticateResult, authenticate, type DNSResolver } from 'mailauth';
import type { DnsResolver } from '../config/settings.js';
import {
  checkResultOf,
  type DmarcPolicy,
  type DmarcResult,
  type SenderVerdict,
  senderVerdict,
} from '../domain/mail/sender-verdict.js';
import { alignedWith, domainOfAddress } from './domain-alignment.js';

/** What the sending server said before the message. */
export interface SmtpSession {
  /** The connecting client's address. */
  readonly ip: string;
  /** Its HELO/EHLO name. */
  readonly helo: string;
  /** MAIL FROM; '' for the null sender `<>` (SPF then checks the HELO name). */
  readonly mailFrom: string;
}

export interface SenderCheckOptions {
  readonly resolver: DnsResolver;
  /** This MX's name in the checks' words (the reply domain). */
  readonly receiver: string;
}

// The system's resolver, bounded: a sender's broken DNS costs the message a few seconds, not minutes.
const systemResolver = new Resolver({ timeout: 4000, tries: 2 });

/** DNS as the system answers it. */
export const systemDnsResolver: DnsResolver = (name, recordType) =>
  systemResolver.resolve(name, recordType) as Promise<unknown[]>;

function dmarcOf(dmarc: AuthenticateResult['dmarc']) {
  if (dmarc === false) return null;
  const said = String(dmarc.status?.result ?? 'temperror').toLowerCase();
  const result: DmarcResult = said === 'pass' || said === 'fail' || said === 'none' ? said : 'temperror';
  const given = String(dmarc.policy ?? '').toLowerCase();
  let policy: DmarcPolicy | null = given === 'reject' || given === 'quarantine' || given === 'none' ? given : null;
  // A policy for part of the failing mail only (pct<100): the rest gets the next milder one (RFC 7489 6.6.4).
  if (policy === 'reject' && typeof dmarc.pct === 'number' && dmarc.pct < 100) policy = 'quarantine';
  return { result, policy };
}

/**
 * Checks the message as received (its exact bytes, for DKIM) against what the sending server said; `from` is
 * the From address as Tend read it. Never throws: a check that fails to run leaves the sender unverified.
 */
export async function checkSmtpSender(
  raw: Buffer,
  from: string,
  session: SmtpSession,
  options: SenderCheckOptions,
): Promise<SenderVerdict> {
  try {
    const found = await authenticate(raw, {
      ip: session.ip,
      helo: session.helo,
      sender: session.mailFrom,
      mta: options.receiver,
      // mailauth's type says string rows; MX answers are objects, which it reads as such.
      resolver: options.resolver as DNSResolver,
      disableArc: true,
      disableBimi: true,
    });
    const fromDomain = domainOfAddress(from);
    const checkedFromDomains = found.dkim.headerFrom.map((address) => domainOfAddress(address) ?? '');
    const aligned = (domain: string | null) => fromDomain !== null && alignedWith(fromDomain, domain);
    const spfDomain = found.spf === false ? null : (found.spf.domain?.toLowerCase() ?? null);
    return senderVerdict({
      checkedBy: 'Tend',
      fromDomain,
      checkedFromDomains,
      dmarc: dmarcOf(found.dmarc),
      spf:
        found.spf === false
          ? null
          : { result: checkResultOf(found.spf.status.result), domain: spfDomain, aligned: aligned(spfDomain) },
      dkim: found.dkim.results
        .filter((signature) => Boolean(signature.signingDomain))
        .map((signature) => {
          const domain = signature.signingDomain.toLowerCase();
          return { result: checkResultOf(signature.status.result), domain, aligned: aligned(domain) };
        }),
    });
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    return { kind: 'unverified', reason: `the sender checks could not run (${said.slice(0, 200)})`, refuse: false };
  }
}
