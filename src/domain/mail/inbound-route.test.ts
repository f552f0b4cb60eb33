import { describe, expect, it } from 'vitest';
import { type InboundMailTraits, routeOfInboundMail } from './inbound-route.js';

const domain = 'replies.acme.example';
const mail = (recipients: string[], traits: Partial<InboundMailTraits> = {}): InboundMailTraits => ({
  recipients,
  deliveryReport: false,
  automatic: false,
  ...traits,
});
const thread = `reply+${'a'.repeat(32)}@${domain}`;

describe('routeOfInboundMail', () => {
  it.each([
    [
      'a delivery report, to the return path',
      mail([`bounce+${'b'.repeat(32)}@${domain}`], { deliveryReport: true }),
      'bounce',
    ],
    [
      'a delivery report, automatic as every report is',
      mail([thread], { deliveryReport: true, automatic: true }),
      'bounce',
    ],
    ['a BCC to the log address beside a customer', mail(['anna@kunde.example', `log@${domain}`]), 'capture'],
    ['a forward to the log address, written in capitals', mail([`LOG@${domain.toUpperCase()}`]), 'capture'],
    ['a reply to a thread address', mail([thread]), 'conversation'],
    ["mail to another of the domain's addresses", mail([`hello@${domain}`]), 'conversation'],
    ['log@ on another domain', mail(['log@elsewhere.example']), 'conversation'],
  ])('%s goes to %s', (_what, traits, kind) => {
    expect(routeOfInboundMail(traits, domain).kind).toBe(kind);
  });

  it('ignores an out-of-office, even to the log address, and a non-report to a return path', () => {
    expect(routeOfInboundMail(mail([thread], { automatic: true }), domain)).toEqual({
      kind: 'ignore',
      why: expect.stringMatching(/machine/),
    });
    expect(routeOfInboundMail(mail([`log@${domain}`], { automatic: true }), domain).kind).toBe('ignore');
    const toReturnPath = routeOfInboundMail(mail([`bounce+${'c'.repeat(32)}@${domain}`]), domain);
    expect(toReturnPath).toEqual({ kind: 'ignore', why: expect.stringMatching(/return path/) });
  });
});
