// Links in an e-mail go through Tend, so that a click is known (Message Clicked: a response that
// feeds channel learning and a playbook's "responded" branch) before the reader lands where the
// link points. Each link gets its own random token; only its hash is stored. Only links the business
// wrote are tracked: a link from customer data (a trait, an event property) would make /l/ an open
// redirect carrying the business's own domain.
import { createHash, randomBytes } from 'node:crypto';

export interface TrackedLink {
  readonly token: string;
  readonly tokenHash: string;
  readonly url: string;
}

/** How a message's capability tokens (tracked links, one-click unsubscribe) are stored: SHA-256, hex. */
export const hashMessageToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const urlPattern = /https?:\/\/[^\s"'<>()]+[^\s"'<>().,;:!?]/g;

/**
 * The links written in these sources (a template's parts, a playbook step's variables), as far as
 * they are written: Liquid output and tags end a link, so `https://acme.com/i/{{ id }}` gives
 * `https://acme.com/i/`.
 */
export function writtenLinks(sources: readonly string[]): string[] {
  const links = new Set<string>();
  for (const source of sources) {
    const literal = source.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, ' ');
    for (const [url] of literal.matchAll(urlPattern)) links.add(url.replace(/&amp;/g, '&'));
  }
  return [...links];
}

/** True when the link begins with a written one and goes to the same site (scheme, host and port). */
function isWritten(url: string, written: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const origin = new URL(url).origin;
  return written.some((prefix) => url.startsWith(prefix) && URL.canParse(prefix) && new URL(prefix).origin === origin);
}

/**
 * Replaces every http(s) URL in the text and the HTML that begins with a `written` link (on that
 * link's own site) with `${base}/l/<token>`; others (and `keep`, e.g. the unsubscribe link) stay as
 * they are. The same URL gets the same token in both parts.
 */
export function trackLinks(
  parts: { text: string; html: string | null },
  base: string,
  keep: readonly string[],
  written: readonly string[],
): { text: string; html: string | null; links: TrackedLink[] } {
  const links = new Map<string, TrackedLink>();
  const replace = (url: string) => {
    if (keep.includes(url) || url.startsWith(`${base}/`) || !isWritten(url, written)) return url;
    let link = links.get(url);
    if (link === undefined) {
      const token = randomBytes(18).toString('base64url');
      link = { token, tokenHash: hashMessageToken(token), url };
      links.set(url, link);
    }
    return `${base}/l/${link.token}`;
  };
  const text = parts.text.replace(urlPattern, replace);
  // In HTML only link targets are rewritten (an escaped &amp; stays part of the address).
  const html =
    parts.html === null
      ? null
      : parts.html.replace(
          /href="(https?:\/\/[^"]+)"/g,
          (_whole, url: string) => `href="${replace(url.replace(/&amp;/g, '&')).replace(/&/g, '&amp;')}"`,
        );
  return { text, html, links: [...links.values()] };
}
