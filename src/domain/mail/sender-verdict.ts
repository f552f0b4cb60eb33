// Whether an inbound e-mail's From domain is proven, from what the sender checks found (SPF, DKIM and DMARC, run
// by Tend's own SMTP listener or reported by the mail service that posted the mail): one verdict, and when the
// domain is not proven, the reason in words. Anyone can write any From header; only a proven one is believed.
import { assertNever } from '../tracking-message.js';

/** What an SPF or DKIM check answered (RFC 8601's words); only `pass` proves anything. */
export type CheckResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

const checkResults = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/** A check's result as a checker words it, in the verdict's: `hardfail` is a fail, `temperr` a temperror. */
export function checkResultOf(said: string | undefined): CheckResult {
  const result = (said ?? 'none').trim().toLowerCase();
  if (result === 'hardfail') return 'fail';
  if (result === 'temperr') return 'temperror';
  // Anything else unknown proves nothing, like an error in the record.
  return checkResults.has(result) ? (result as CheckResult) : 'permerror';
}

/** One SPF or DKIM result, and whether its domain is the From domain's organization. */
export interface DomainCheck {
  readonly result: CheckResult;
  /** The envelope sender's domain (SPF) or the signing domain (DKIM); null when not reported. */
  readonly domain: string | null;
  /** Same organizational domain as the From domain (DMARC's relaxed alignment, RFC 7489 3.1). */
  readonly aligned: boolean;
}

export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';
export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

/** Everything the checks found about one message. */
export interface SenderEvidence {
  /** Who checked, for the reason: "Tend", "SendGrid", "Mailgun", "Postmark", "the relay". */
  readonly checkedBy: string;
  /** The From address's domain as Tend read it (lower-case); null when the From header holds none. */
  readonly fromDomain: string | null;
  /** The From header's domains as the checks read them: one, unless the header names several people. */
  readonly checkedFromDomains: readonly string[];
  /** DMARC's answer for the From domain (`none`: it publishes no record); null: nobody asked DMARC. */
  readonly dmarc: { readonly result: DmarcResult; readonly policy: DmarcPolicy | null } | null;
  /** SPF for the envelope sender (MAIL FROM); null when not reported. */
  readonly spf: DomainCheck | null;
  /** Each DKIM signature's result. */
  readonly dkim: readonly DomainCheck[];
}

export type SenderVerdict =
  | { readonly kind: 'verified'; readonly domain: string; readonly by: 'dmarc' | 'spf' | 'dkim' }
  | {
      readonly kind: 'unverified';
      readonly reason: string;
      /** The domain's DMARC policy asks receivers to refuse such mail (p=reject): an MX answers 550. */
      readonly refuse: boolean;
    }
  /** The checks are switched off (TEND_SMTP_INBOUND_SENDER_CHECKS=off, behind a gateway that checks). */
  | { readonly kind: 'unchecked' };

const unverified = (reason: string, refuse = false): SenderVerdict => ({ kind: 'unverified', reason, refuse });

function spfWords(evidence: SenderEvidence, from: string): string {
  const { spf } = evidence;
  if (spf === null) return `${evidence.checkedBy} reported no SPF result`;
  const of = spf.domain === null ? '' : ` for ${spf.domain}`;
  if (spf.result === 'pass' && !spf.aligned) return `SPF passes${of}, which is not ${from}'s organization`;
  return `SPF ${spf.result === 'pass' ? 'passes' : `is ${spf.result}`}${of}`;
}

function dkimWords(evidence: SenderEvidence, from: string): string {
  const { dkim } = evidence;
  if (dkim.length === 0) return 'no DKIM signature';
  const passed = dkim.filter((check) => check.result === 'pass');
  if (passed.some((check) => check.aligned)) return `a DKIM signature of ${from} verifies`;
  if (passed.length > 0) {
    const domains = [...new Set(passed.map((check) => check.domain ?? 'an unnamed domain'))].join(', ');
    return `DKIM verifies only for ${domains}, not ${from}'s organization`;
  }
  return `no DKIM signature verifies (${[...new Set(dkim.map((check) => check.result))].join(', ')})`;
}

/**
 * The From domain is verified when DMARC passes for it; when nobody could tell its DMARC policy (it publishes
 * none, a DNS error, or a mail service that reports no DMARC), when SPF passes for an aligned envelope domain
 * or an aligned DKIM signature verifies. Anything else is unverified; a DMARC failure under `p=reject` is to
 * be refused.
 */
export function senderVerdict(evidence: SenderEvidence): SenderVerdict {
  const from = evidence.fromDomain;
  if (from === null) return unverified('the From header holds no e-mail address');
  const checked = evidence.checkedFromDomains;
  if (checked.length !== 1) {
    return unverified(`the From header names ${checked.length === 0 ? 'no' : checked.length} addresses to the checks`);
  }
  if (checked[0] !== from) return unverified(`the From header reads as ${checked[0]} to the checks, not ${from}`);
  const dmarc = evidence.dmarc;
  if (dmarc?.result === 'pass') return { kind: 'verified', domain: from, by: 'dmarc' };
  const found = `${spfWords(evidence, from)}, and ${dkimWords(evidence, from)}`;
  if (dmarc?.result === 'fail') {
    const policy = dmarc.policy ?? 'none';
    return unverified(`DMARC fails for ${from} (${found}); its policy is ${policy}`, policy === 'reject');
  }
  if (evidence.dkim.some((check) => check.result === 'pass' && check.aligned)) {
    return { kind: 'verified', domain: from, by: 'dkim' };
  }
  const spf = evidence.spf;
  if (spf !== null && spf.result === 'pass' && spf.aligned) return { kind: 'verified', domain: from, by: 'spf' };
  const policy =
    dmarc === null
      ? `${evidence.checkedBy} reported no DMARC result`
      : dmarc.result === 'none'
        ? `${from} publishes no DMARC record`
        : `DMARC could not be checked for ${from} (${dmarc.result})`;
  return unverified(`${policy}; ${found}`);
}

/** Whether the From address may name who wrote: a verified domain, or checks switched off on purpose. */
export function believesFrom(verdict: SenderVerdict): boolean {
  switch (verdict.kind) {
    case 'verified':
    case 'unchecked':
      return true;
    case 'unverified':
      return false;
    default:
      return assertNever(verdict);
  }
}
