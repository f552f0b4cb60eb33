import { describe, expect, it } from 'vitest';
import { trackLinks, writtenLinks } from './link-tracking.js';

const base = 'https://tend.acme.example';
const track = (text: string, written: readonly string[]) => trackLinks({ text, html: null }, base, [], written);

describe('which links are tracked', () => {
  it('finds the links a template writes, up to its first Liquid output or tag', () => {
    const template =
      'Book: https://cal.acme.example/rita?kind=call. Pay: https://pay.acme.example/i/{{ invoice }}/now ' +
      '{% if x %}https://{{ host }}/x{% endif %}';
    expect(writtenLinks([template, '<mj-button href="https://acme.example/a?x=1&amp;y=2">'])).toEqual([
      'https://cal.acme.example/rita?kind=call',
      'https://pay.acme.example/i/',
      'https://acme.example/a?x=1&y=2',
    ]);
  });

  it('tracks a written link, and one that continues it on the same site', () => {
    const written = writtenLinks(['https://cal.acme.example/rita https://pay.acme.example/i/{{ invoice }}']);
    const tracked = track('Book https://cal.acme.example/rita or pay https://pay.acme.example/i/F-7', written);
    const urls = tracked.links.map((link) => link.url);
    expect(urls).toEqual(['https://cal.acme.example/rita', 'https://pay.acme.example/i/F-7']);
    const [first, second] = tracked.links;
    expect(tracked.text).toBe(`Book ${base}/l/${first!.token} or pay ${base}/l/${second!.token}`);
  });

  it('leaves a link that came from a variable as it is', () => {
    const written = writtenLinks(['Your site: {{ account.traits.website }}']);
    const tracked = track('Your site: https://evil.example/phish', written);
    expect(tracked).toEqual({ text: 'Your site: https://evil.example/phish', html: null, links: [] });
  });

  it('does not let a variable carry a written beginning to another site', () => {
    const written = writtenLinks(['https://acme.example{{ path }}']);
    const elsewhere = ['https://acme.example.evil.example/', 'https://acme.example@evil.example/'];
    elsewhere.push('https://acme.example:81/');
    for (const url of elsewhere) {
      expect(track(`Go to ${url}`, written).links).toEqual([]);
    }
    expect(track('Go to https://acme.example/ok', written).links).toHaveLength(1);
  });

  it('rewrites a written link in HTML too, with the same token as in the text', () => {
    const written = writtenLinks(['https://acme.example/a?x=1&amp;y=2']);
    const html = '<a href="https://acme.example/a?x=1&amp;y=2">a</a> <a href="https://evil.example/">b</a>';
    const tracked = trackLinks({ text: 'https://acme.example/a?x=1&y=2', html }, base, [], written);
    expect(tracked.links).toHaveLength(1);
    const token = tracked.links[0]!.token;
    expect(tracked.text).toBe(`${base}/l/${token}`);
    expect(tracked.html).toBe(`<a href="${base}/l/${token}">a</a> <a href="https://evil.example/">b</a>`);
  });
});
