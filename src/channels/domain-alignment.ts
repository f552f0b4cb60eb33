// Whether a domain belongs to the From domain's organization: DMARC's relaxed alignment (RFC 7489 3.1), the
// same registered domain under the public suffix list (so mail.acme.com is acme.com's, evil.co.uk not acme.co.uk's).
import { createRequire } from 'node:module';

type Alignment = (fromDomain: string, domains: readonly string[]) => { readonly domain: string } | false;

// mailauth's own helper, the one its DMARC check aligns with: one public suffix list, one answer. It is not in
// mailauth's typed entry point, hence the require; a mailauth that moved it fails at start, not silently.
const { getAlignment } = createRequire(import.meta.url)('mailauth/lib/tools.js') as { getAlignment: Alignment };

/** True when `domain` (an envelope sender's or a signer's) is `fromDomain`'s organization. */
export function alignedWith(fromDomain: string, domain: string | null): boolean {
  if (domain === null || domain === '' || fromDomain === '') return false;
  return getAlignment(fromDomain.toLowerCase(), [domain.toLowerCase()]) !== false;
}

/** The domain of an address (`a@b.example` → `b.example`), lower-case; null without one. */
export function domainOfAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  const domain = address
    .slice(at + 1)
    .trim()
    .replace(/>$/, '')
    .toLowerCase();
  return at < 0 || domain === '' ? null : domain;
}
