import { describe, expect, it } from 'vitest';
import { readAuthenticationResults } from './authentication-results.js';

describe('readAuthenticationResults', () => {
  it("reads each method's result and domain, past comments and folded lines", () => {
    const value = [
      'mx.acme.example;',
      '  dkim=pass (2048-bit key; unprotected) header.d=kunde.example header.s=mail header.b=abc;',
      '  dkim=fail header.i=@mailer.example;',
      '  spf=pass (mx.acme.example: domain of anna@kunde.example designates 192.0.2.1 as permitted sender)',
      '    smtp.mailfrom=Anna@Kunde.example;',
      '  dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=kunde.example',
    ].join('\r\n');
    expect(readAuthenticationResults(value)).toEqual({
      spf: { result: 'pass', domain: 'kunde.example' },
      dkim: [
        { result: 'pass', domain: 'kunde.example' },
        { result: 'fail', domain: 'mailer.example' },
      ],
      dmarc: { result: 'pass', fromDomain: 'kunde.example' },
    });
  });

  it('takes the HELO name for the null sender, old and unknown words as failures, not the server part', () => {
    expect(
      readAuthenticationResults('spf=pass smtp.mailfrom=x@evil.example; spf=hardfail smtp.helo=mx.kunde.example'),
    ).toEqual({
      spf: { result: 'fail', domain: 'mx.kunde.example' },
      dkim: [],
      dmarc: null,
    });
    expect(readAuthenticationResults('mx; dmarc=bestguesspass header.from=k.example; dkim=great')).toEqual({
      spf: null,
      dkim: [{ result: 'permerror', domain: null }],
      dmarc: { result: 'permerror', fromDomain: 'k.example' },
    });
    expect(readAuthenticationResults('none')).toEqual({ spf: null, dkim: [], dmarc: null });
  });
});
