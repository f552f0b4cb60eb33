import { describe, expect, it } from 'vitest';
import { believesFrom, type DomainCheck, type SenderEvidence, senderVerdict } from './sender-verdict.js';

const evidence = (found: Partial<SenderEvidence> = {}): SenderEvidence => ({
  checkedBy: 'Tend',
  fromDomain: 'kunde.example',
  checkedFromDomains: ['kunde.example'],
  dmarc: { result: 'none', policy: null },
  spf: null,
  dkim: [],
  ...found,
});
const spf = (result: DomainCheck['result'], domain: string, aligned: boolean): DomainCheck => ({
  result,
  domain,
  aligned,
});
const dkim = spf;

describe('senderVerdict', () => {
  it.each([
    ['DMARC passes', evidence({ dmarc: { result: 'pass', policy: 'reject' } }), 'dmarc'],
    ['no DMARC record, SPF passes for the From domain', evidence({ spf: spf('pass', 'kunde.example', true) }), 'spf'],
    [
      'no DMARC record, an aligned DKIM signature verifies',
      evidence({ dkim: [dkim('pass', 'kunde.example', true)] }),
      'dkim',
    ],
    [
      'a DNS error on DMARC, an aligned DKIM signature verifies',
      evidence({ dmarc: { result: 'temperror', policy: null }, dkim: [dkim('pass', 'kunde.example', true)] }),
      'dkim',
    ],
    [
      "a mail service's SPF pass for an aligned envelope domain, DMARC not reported",
      evidence({ checkedBy: 'SendGrid', dmarc: null, spf: spf('pass', 'bounces.kunde.example', true) }),
      'spf',
    ],
  ])('%s: verified by %s', (_what, found, by) => {
    const verdict = senderVerdict(found);
    expect(verdict).toEqual({ kind: 'verified', domain: found.fromDomain, by });
    expect(believesFrom(verdict)).toBe(true);
  });

  it.each([
    ['SPF fails', evidence({ spf: spf('fail', 'kunde.example', true) }), /no DMARC record; SPF is fail for kunde/],
    ['SPF softfails', evidence({ spf: spf('softfail', 'kunde.example', true) }), /SPF is softfail/],
    ['no SPF record', evidence({ spf: spf('none', 'kunde.example', true) }), /SPF is none/],
    ['an SPF DNS error', evidence({ spf: spf('temperror', 'kunde.example', true) }), /SPF is temperror/],
    ['an SPF record in error', evidence({ spf: spf('permerror', 'kunde.example', true) }), /SPF is permerror/],
    [
      "SPF passes for the envelope sender's own, unaligned domain",
      evidence({ spf: spf('pass', 'evil.example', false) }),
      /SPF passes for evil\.example, which is not kunde\.example's organization/,
    ],
    [
      'a DKIM signature verifies for another domain only',
      evidence({ dkim: [dkim('pass', 'evil.example', false), dkim('fail', 'kunde.example', true)] }),
      /DKIM verifies only for evil\.example, not kunde\.example's organization/,
    ],
    [
      'an aligned DKIM signature does not verify',
      evidence({ dkim: [dkim('fail', 'kunde.example', true)] }),
      /no DKIM signature verifies \(fail\)/,
    ],
    ['no DNS reachable', evidence({ dmarc: { result: 'temperror', policy: null } }), /DMARC could not be checked/],
    [
      'a mail service that reports nothing',
      evidence({ checkedBy: 'Postmark', dmarc: null }),
      /Postmark reported no DMARC result; Postmark reported no SPF result, and no DKIM signature/,
    ],
    [
      'DMARC fails, even though SPF passes unaligned',
      evidence({ dmarc: { result: 'fail', policy: 'quarantine' }, spf: spf('pass', 'evil.example', false) }),
      /DMARC fails for kunde\.example \(SPF passes for evil\.example.*\); its policy is quarantine/,
    ],
    ['no From address', evidence({ fromDomain: null }), /holds no e-mail address/],
    ['a From header naming two people', evidence({ checkedFromDomains: ['a.example', 'b.example'] }), /names 2/],
    [
      'a From header the checks read otherwise',
      evidence({ checkedFromDomains: ['evil.example'], dmarc: { result: 'pass', policy: 'none' } }),
      /reads as evil\.example to the checks, not kunde\.example/,
    ],
  ])('%s: unverified, and says why', (_what, found, reason) => {
    const verdict = senderVerdict(found);
    expect(verdict).toEqual({ kind: 'unverified', reason: expect.stringMatching(reason), refuse: false });
    expect(believesFrom(verdict)).toBe(false);
  });

  it('refuses only a DMARC failure under p=reject', () => {
    const failing = (policy: 'none' | 'quarantine' | 'reject') =>
      senderVerdict(evidence({ dmarc: { result: 'fail', policy }, spf: spf('fail', 'kunde.example', true) }));
    expect(failing('reject')).toMatchObject({ kind: 'unverified', refuse: true });
    expect(failing('reject')).toMatchObject({ reason: expect.stringMatching(/its policy is reject$/) });
    expect(failing('quarantine')).toMatchObject({ kind: 'unverified', refuse: false });
    expect(failing('none')).toMatchObject({ kind: 'unverified', refuse: false });
  });

  it('believes the From address when the checks are off', () => {
    expect(believesFrom({ kind: 'unchecked' })).toBe(true);
  });
});
