// DNS for the sender checks (SPF, DKIM, DMARC) in tests, which must never need the real one: TXT records by
// name; any other question finds nothing (ENOTFOUND), as for a domain that publishes nothing.
import { generateKeyPairSync } from 'node:crypto';
import type { DnsResolver } from '../../src/config/settings.js';

/** Name → its TXT records. */
export type Zone = Readonly<Record<string, readonly string[]>>;

/** A resolver answering from `zone`; `questions` lists what was asked, `unreachable` makes every question fail. */
export function fakeDns(zone: Zone): DnsResolver & { readonly questions: string[]; unreachable: boolean } {
  const questions: string[] = [];
  const resolver = async (name: string, recordType: string): Promise<unknown[]> => {
    questions.push(`${recordType} ${name}`);
    if (resolver.unreachable) {
      throw Object.assign(new Error(`query${recordType} ECONNREFUSED ${name}`), { code: 'ECONNREFUSED' });
    }
    const records = recordType === 'TXT' ? zone[name.toLowerCase()] : undefined;
    if (records === undefined || records.length === 0) {
      throw Object.assign(new Error(`query${recordType} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    }
    // node:dns answers TXT records as their character strings.
    return records.map((record) => [record]);
  };
  resolver.questions = questions;
  resolver.unreachable = false;
  return resolver;
}

/** The SPF record of a domain whose mail comes from this machine only (as every test client's does). */
export const sendsFromHere = (...domains: string[]): Zone =>
  Object.fromEntries(domains.map((domain) => [domain, ['v=spf1 ip4:127.0.0.1 -all']]));

/** A DKIM key pair for `domain`: the record to publish, and nodemailer's `dkim` option to sign with. */
export function dkimKey(domain: string, selector = 'mail') {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const published = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    zone: { [`${selector}._domainkey.${domain}`]: [`v=DKIM1; k=rsa; p=${published}`] } as Zone,
    signing: {
      domainName: domain,
      keySelector: selector,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  };
}
