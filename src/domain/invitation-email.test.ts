// The invitation's words: who invited whom, the link, and that it works once within its hours.
import { describe, expect, it } from 'vitest';
import { invitationEmail } from './invitation-email.js';

const url = 'https://tend.acme.example/sign-in/abc';

describe('the invitation e-mail', () => {
  it('names the inviter and the invitee, and says what Tend is, the link and its limits', () => {
    const email = invitationEmail({
      invitee: { email: 'rita@acme.example', name: 'Rita' },
      inviter: { email: 'ada@acme.example', name: 'Ada Admin' },
      url,
      validHours: 24,
    });
    expect(email.subject).toBe('Ada Admin invited you to Tend');
    expect(email.text).toContain('Hello Rita,\n');
    expect(email.text).toContain('Ada Admin (ada@acme.example) invited you to Tend.');
    expect(email.text).toContain('which customers to contact today');
    expect(email.text).toContain(`\n${url}\n`);
    expect(email.text).toContain('It works once and expires in 24 hours.');
    expect(email.text).toContain('ask Ada Admin for a new one');
  });

  it('names nobody when an admin token or a command asked, and greets a person without a name', () => {
    const email = invitationEmail({
      invitee: { email: 'rita@acme.example', name: null },
      inviter: null,
      url,
      validHours: 24,
    });
    expect(email.subject).toBe('You are invited to Tend');
    expect(email.text).toMatch(/^Hello,\n\nYou are invited to Tend\./);
    expect(email.text).toContain('ask an admin of your Tend for a new one');
  });

  it('keeps a name with line breaks on one line, so that it cannot add a header', () => {
    const inviter = { email: 'ada@acme.example', name: 'Ada\r\nBcc: everyone@acme.example' };
    const email = invitationEmail({
      invitee: { email: 'rita@acme.example', name: null },
      inviter,
      url,
      validHours: 24,
    });
    expect(email.subject).toBe('Ada Bcc: everyone@acme.example invited you to Tend');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});
