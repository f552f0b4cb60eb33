// What a mail service posts beside a message about who sent it, read into the one verdict of
// domain/mail/sender-verdict.ts: SendGrid's `SPF` and `dkim` fields, Mailgun's X-Mailgun-Spf and
// X-Mailgun-Dkim-Check-Result, Postmark's Received-SPF (and SpamAssassin's DKIM_VALID_AU), a relay's own
// `authenticationResults`. Each is read only where that service writes it: the sender writes the rest.
import { readAuthenticationResults } from '../domain/mail/authentication-results.js';
import {
  checkResultOf,
  type DomainCheck,
  type SenderEvidence,
  type SenderVerdict,
  senderVerdict,
} from '../domain/mail/sender-verdict.js';
import { alignedWith, domainOfAddress } from './domain-alignment.js';
import type { InboundMail } from './inbound-email.js';

type Fields = Readonly<Record<string, unknown>>;

/** A field the service posts once; null when missing, or repeated (a value the sender could have added). */
function single(fields: Fields, name: string): string | null {
  const value = fields[name];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Every value of a header, from the first place that has it: a field of its own, `message-headers`, `body-mime`. */
function mailgunHeaders(fields: Fields, name: string): string[] {
  const lower = name.toLowerCase();
  for (const key of Object.keys(fields)) {
    if (key.toLowerCase() !== lower) continue;
    const value = fields[key];
    const values = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    if (values.length > 0) return values;
  }
  const pairs = single(fields, 'message-headers');
  if (pairs !== null) {
    try {
      const parsed: unknown = JSON.parse(pairs.slice(0, 200_000));
      const found = (Array.isArray(parsed) ? parsed : [])
        .slice(0, 500)
        .filter((pair): pair is [string, string] => Array.isArray(pair) && String(pair[0]).toLowerCase() === lower)
        .map((pair) => String(pair[1]));
      if (found.length > 0) return found;
    } catch {
      // Not JSON: nothing there.
    }
  }
  const raw = single(fields, 'body-mime');
  if (raw === null) return [];
  const head = raw
    .slice(0, 100_000)
    .split(/\r?\n\r?\n/, 1)[0]!
    .replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .filter((line) => line.slice(0, line.indexOf(':')).trim().toLowerCase() === lower)
    .map((line) => line.slice(line.indexOf(':') + 1).trim());
}

/** The signing domains (d=) of DKIM-Signature header values. */
const signersOf = (signatures: readonly string[]) =>
  signatures.map((signature) => /(?:^|;)\s*d\s*=\s*([^\s;]+)/i.exec(signature)?.[1]?.toLowerCase() ?? null);

type Found = Omit<SenderEvidence, 'fromDomain' | 'checkedFromDomains'>;

/**
 * Mailgun's verdict headers (with "Mark spam with MIME headers" on); one present twice is the sender's too,
 * and proves nothing. Its DKIM result does not name the signer: it counts for the From domain only when
 * every signature the message carries is that domain's organization's.
 */
function mailgun(fields: Fields, fromDomain: string): Found {
  const one = (name: string) => {
    const values = mailgunHeaders(fields, name);
    return values.length === 1 ? values[0]!.trim() : null;
  };
  const spfResult = one('X-Mailgun-Spf');
  const envelope = domainOfAddress(single(fields, 'sender'));
  const dkimResult = one('X-Mailgun-Dkim-Check-Result');
  const signers = signersOf(mailgunHeaders(fields, 'DKIM-Signature'));
  const allAligned = signers.length > 0 && signers.every((signer) => alignedWith(fromDomain, signer));
  const dkim: DomainCheck[] =
    dkimResult === null || signers.length === 0
      ? []
      : [{ result: checkResultOf(dkimResult), domain: signers.join(', '), aligned: allAligned }];
  const spf =
    spfResult === null
      ? null
      : { result: checkResultOf(spfResult), domain: envelope, aligned: alignedWith(fromDomain, envelope) };
  return { checkedBy: 'Mailgun', dmarc: null, spf, dkim };
}

/** SendGrid's `SPF` (for the envelope's `from`) and `dkim` (`{@kunde.example : pass, @other.example : fail}`). */
function sendgrid(fields: Fields, fromDomain: string): Found {
  let envelopeFrom: string | null = null;
  try {
    const envelope = JSON.parse(String(fields.envelope).slice(0, 20_000)) as { from?: unknown };
    envelopeFrom = typeof envelope.from === 'string' ? envelope.from : null;
  } catch {
    // No envelope: SPF names no domain.
  }
  const envelope = domainOfAddress(envelopeFrom);
  const spfResult = single(fields, 'SPF');
  const spf =
    spfResult === null
      ? null
      : { result: checkResultOf(spfResult), domain: envelope, aligned: alignedWith(fromDomain, envelope) };
  const dkim = [...(single(fields, 'dkim') ?? '').slice(0, 5000).matchAll(/@([A-Za-z0-9.-]+)\s*:\s*([A-Za-z]+)/g)]
    .slice(0, 20)
    .map(([, domain, result]) => ({
      result: checkResultOf(result),
      domain: domain!.toLowerCase(),
      aligned: alignedWith(fromDomain, domain!),
    }));
  return { checkedBy: 'SendGrid', dmarc: null, spf, dkim };
}

/**
 * Postmark's own Received-SPF, the first in its `Headers` (it adds it on top; later ones are from the way
 * there), and its SpamAssassin run's DKIM_VALID_AU: a valid signature of the author's domain.
 */
function postmark(fields: Fields, fromDomain: string): Found {
  const headers = (Array.isArray(fields.Headers) ? fields.Headers : []).slice(0, 500) as unknown[];
  const first = (name: string) => {
    for (const header of headers) {
      const { Name, Value } = (header ?? {}) as { Name?: unknown; Value?: unknown };
      if (typeof Name === 'string' && Name.toLowerCase() === name && typeof Value === 'string') return Value;
    }
    return null;
  };
  const received = first('received-spf');
  const envelope = domainOfAddress(
    received === null ? null : /envelope-from="?([^";\s]+)/i.exec(received)?.[1]?.replace(/[<>]/g, ''),
  );
  const spf =
    received === null
      ? null
      : {
          result: checkResultOf(/^\s*([A-Za-z]+)/.exec(received)?.[1]),
          domain: envelope,
          aligned: alignedWith(fromDomain, envelope),
        };
  const tests = (first('x-spam-tests') ?? '').split(/[\s,]+/);
  const dkim = tests.includes('DKIM_VALID_AU') ? [{ result: 'pass' as const, domain: fromDomain, aligned: true }] : [];
  return { checkedBy: 'Postmark', dmarc: null, spf, dkim };
}

/** A relay of one's own: the Authentication-Results value it wrote for the message, as `authenticationResults`. */
function relay(value: string, fromDomain: string): Found {
  const reported = readAuthenticationResults(value);
  const check = (found: { result: DomainCheck['result']; domain: string | null }) => ({
    ...found,
    aligned: alignedWith(fromDomain, found.domain),
  });
  // A DMARC result about another From domain says nothing of this one.
  const dmarc = reported.dmarc !== null && reported.dmarc.fromDomain === fromDomain ? reported.dmarc : null;
  return {
    checkedBy: 'the relay',
    dmarc: dmarc === null ? null : { result: dmarc.result, policy: null },
    spf: reported.spf === null ? null : check(reported.spf),
    dkim: reported.dkim.map(check),
  };
}

/**
 * The verdict on the posted mail's From address, from what its service reported. Mailgun is told apart first:
 * its posts carry the message's headers as fields, so a sender can add any field name to them.
 */
export function postedSenderVerdict(fields: Fields, mail: InboundMail): SenderVerdict {
  const fromDomain = domainOfAddress(mail.from);
  if (fromDomain === null)
    return { kind: 'unverified', reason: 'the From header holds no e-mail address', refuse: false };
  const found = (() => {
    if (['body-plain', 'stripped-text', 'body-mime', 'token'].some((name) => name in fields)) {
      return mailgun(fields, fromDomain);
    }
    if ('envelope' in fields) return sendgrid(fields, fromDomain);
    if ('FromFull' in fields || 'Headers' in fields) return postmark(fields, fromDomain);
    const results = single(fields, 'authenticationResults');
    if (results !== null) return relay(results, fromDomain);
    return null;
  })();
  if (found === null) {
    const reason = 'the post carries no verdict of a mail service on the sender (SPF, DKIM or DMARC)';
    return { kind: 'unverified', reason, refuse: false };
  }
  return senderVerdict({ ...found, fromDomain, checkedFromDomains: [fromDomain] });
}
