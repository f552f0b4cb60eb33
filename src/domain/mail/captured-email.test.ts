import { describe, expect, it } from 'vitest';
import { captureAnswer, capturedAddresses, forwardedAddresses, unmatchedAddresses } from './captured-email.js';

const domain = 'replies.acme.example';

describe('capturedAddresses', () => {
  it('takes To and Cc of a BCC, without the rep and Tend’s own addresses', () => {
    const email = {
      from: 'sam@acme.example',
      to: ['anna@kunde.example', `log@${domain}`],
      cc: ['Bert@Kunde.example', 'sam@acme.example', 'anna@kunde.example'],
      text: 'Hi Anna, as promised, the renewal terms.',
    };
    expect(capturedAddresses(email, domain)).toEqual({
      addresses: ['anna@kunde.example', 'bert@kunde.example'],
      forwarded: false,
    });
  });

  it('adds the people of a message forwarded from Gmail, Outlook or Apple Mail', () => {
    const bodies = [
      '---------- Forwarded message ---------\nFrom: Anna Muster <anna@kunde.example>\nDate: Mon, 4 May 2026\n' +
        'Subject: Renewal\nTo: Sam <sam@acme.example>\nCc: bert@kunde.example\n\nHello Sam',
      'FYI\n\n________________________________\nFrom: Anna Muster [mailto:anna@kunde.example]\n' +
        'Sent: Monday, May 4, 2026 9:00 AM\nTo: Sam\nCc: Bert <bert@kunde.example>\nSubject: Renewal\n\nHello',
      'Begin forwarded message:\n\n> From: Anna Muster <anna@kunde.example>\n> Subject: Renewal\n' +
        '> To: sam@acme.example\n> Cc: bert@kunde.example\n\n> Hello',
    ];
    for (const text of bodies) {
      const email = { from: 'sam@acme.example', to: [`log@${domain}`], cc: [], text };
      expect(capturedAddresses(email, domain)).toEqual({
        addresses: ['anna@kunde.example', 'bert@kunde.example'],
        forwarded: true,
      });
    }
  });

  it('reads no forward from an ordinary body or a marker without fields', () => {
    expect(forwardedAddresses('Hi,\nFrom: the team\n')).toBeNull();
    expect(forwardedAddresses('---------- Forwarded message ---------\n\nno fields here')).toBeNull();
  });
});

describe('unmatchedAddresses', () => {
  it('leaves out matched contacts, other users and colleagues on the rep’s domain', () => {
    const addresses = ['anna@kunde.example', 'new@kunde.example', 'maria@acme.example', 'boss@partner.example'];
    const unmatched = unmatchedAddresses(
      addresses,
      new Set(['anna@kunde.example']),
      'sam@acme.example',
      new Set(['boss@partner.example']),
    );
    expect(unmatched).toEqual(['new@kunde.example']);
  });
});

describe('captureAnswer', () => {
  it('says where the e-mail was logged, lists what matched nobody and how to fix it, and links the account', () => {
    const answer = captureAnswer({
      subject: 'Renewal terms',
      loggedOn: [{ accountId: 'kunde', name: 'Kunde AG' }],
      unmatched: ['new@kunde.example'],
      logAddress: `log@${domain}`,
    });
    expect(answer.subject).toBe('Not logged for new@kunde.example: Renewal terms');
    expect(answer.text).toMatch(/^Tend logged your e-mail "Renewal terms" on Kunde AG\./);
    expect(answer.text).toMatch(/This address belongs to no contact in Tend:\n {2}new@kunde\.example\n/);
    expect(answer.text).toMatch(/add each as a contact.*\n.*\n.*log@replies\.acme\.example again/);
    expect(answer.path).toBe('/accounts/kunde');
  });

  it('says nothing was logged when no address matched', () => {
    const answer = captureAnswer({
      subject: '',
      loggedOn: [],
      unmatched: ['a@x.example', 'b@y.example'],
      logAddress: 'log@r.example',
    });
    expect(answer.text).toMatch(/^Tend could not log your e-mail: none of its addresses/);
    expect(answer.subject).toBe('Not logged for 2 addresses: (no subject)');
    expect(answer.path).toBe('/accounts');
  });
});
