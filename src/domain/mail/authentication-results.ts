// Reads an Authentication-Results value (RFC 8601), as a relay of one's own posts it beside a message it
// checked: `mx.acme.com; spf=pass smtp.mailfrom=anna@kunde.example; dkim=pass header.d=kunde.example;
// dmarc=pass header.from=kunde.example`. Only what the verdict needs: each method's result and its domain.
import { type CheckResult, checkResultOf, type DmarcResult } from './sender-verdict.js';

export interface ReportedChecks {
  /** SPF's result and the envelope sender's domain (or the HELO name's, for the null sender). */
  readonly spf: { readonly result: CheckResult; readonly domain: string | null } | null;
  readonly dkim: readonly { readonly result: CheckResult; readonly domain: string | null }[];
  /** DMARC's result, and the From domain it was for. */
  readonly dmarc: { readonly result: DmarcResult; readonly fromDomain: string | null } | null;
}

/** The domain of `anna@kunde.example`, `@kunde.example` or `kunde.example`, lower-case. */
const domainIn = (value: string | undefined): string | null => {
  const domain = value
    ?.replace(/^"|"$/g, '')
    .slice(value.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  return domain ? domain : null;
};

export function readAuthenticationResults(value: string): ReportedChecks {
  let text = value.slice(0, 10_000).replace(/\r?\n[ \t]+/g, ' ');
  // Comments, `(…)`, say nothing the verdict reads; a few nesting levels at most.
  for (let depth = 0; depth < 3; depth++) text = text.replace(/\([^()]*\)/g, ' ');
  let spf: ReportedChecks['spf'] = null;
  const dkim: { result: CheckResult; domain: string | null }[] = [];
  let dmarc: ReportedChecks['dmarc'] = null;
  // The first part names the checking server; each later one is `method=result property=value …`.
  for (const part of text.split(';').slice(1, 50)) {
    const found = /^\s*(spf|dkim|dmarc)\s*=\s*([A-Za-z]+)(.*)$/i.exec(part);
    if (found === null) continue;
    const method = found[1]!.toLowerCase();
    const result = found[2]!;
    const properties = new Map<string, string>();
    for (const [, name, said] of found[3]!.matchAll(/([A-Za-z]+\.[A-Za-z-]+)\s*=\s*("[^"]*"|[^\s;]+)/g)) {
      if (!properties.has(name!.toLowerCase())) properties.set(name!.toLowerCase(), said!);
    }
    if (method === 'spf' && spf === null) {
      const domain = domainIn(properties.get('smtp.mailfrom') ?? properties.get('smtp.helo'));
      spf = { result: checkResultOf(result), domain };
    } else if (method === 'dkim') {
      dkim.push({
        result: checkResultOf(result),
        domain: domainIn(properties.get('header.d') ?? properties.get('header.i')),
      });
    } else if (method === 'dmarc' && dmarc === null) {
      const said = result.toLowerCase();
      const dmarcResult: DmarcResult =
        said === 'pass' || said === 'fail' || said === 'none' || said === 'temperror' ? said : 'permerror';
      dmarc = { result: dmarcResult, fromDomain: domainIn(properties.get('header.from')) };
    }
  }
  return { spf, dkim, dmarc };
}
