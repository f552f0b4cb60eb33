// Links in an e-mail go through Tend, so that a click is known (Message Clicked: a response that
// feeds channel learning and a playbook's "responded" branch) before the reader lands where the
// link points. Each link gets its own random token; only its hash is stored.
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
 * Replaces every http(s) URL in the text and the HTML (except `keep`, e.g. the unsubscribe link)
 * with `${base}/l/<token>`; the same URL gets the same token in both parts.
 */
export function trackLinks(parts: { text: string; html: string | null }, base: string, keep: readonly string[]): { text: string; html: string | null; links: TrackedLink[] } {
  const links = new Map<string, TrackedLink>();
  const replace = (url: string) => {
    if (keep.includes(url) || url.startsWith(`${base}/`)) return url;
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
  const html = parts.html === null ? null : parts.html.replace(/href="(https?:\/\/[^"]+)"/g, (_whole, url: string) => `href="${replace(url.replace(/&amp;/g, '&')).replace(/&/g, '&amp;')}"`);
  return { text, html, links: [...links.values()] };
}
