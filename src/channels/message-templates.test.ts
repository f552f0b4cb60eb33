import { describe, expect, it } from 'vitest';
import type { MessageTemplate } from '../domain/message-template.js';
import { checkMessageTemplate, chooseVariant, MessageTemplateError, renderMessage } from './message-templates.js';

const latePayment: MessageTemplate = {
  key: 'late-payment',
  variants: {
    en: {
      standard: {
        subject: 'Invoice {{ invoice.number }} is overdue',
        text: 'Hello {{ contact.firstName }}, invoice {{ invoice.number }} is overdue.',
      },
      empathetic: {
        subject: 'Can we help with invoice {{ invoice.number }}?',
        text: 'Hello {{ contact.firstName }}, we can split the payment into instalments.',
      },
    },
    de: {
      standard: {
        subject: 'Rechnung {{ invoice.number }} ist überfällig',
        text: 'Hallo {{ contact.firstName }}, die Rechnung ist überfällig.',
      },
      empathetic: {
        subject: 'Können wir bei Rechnung {{ invoice.number }} helfen?',
        mjml: `<mjml><mj-body><mj-section><mj-column>
          <mj-text>Hallo {{ contact.firstName }}, wir können die Zahlung in Raten aufteilen.</mj-text>
          <mj-button href="{{ planUrl }}">Ratenplan ansehen</mj-button>
        </mj-column></mj-section></mj-body></mjml>`,
      },
    },
    fr: { standard: { subject: 'Facture {{ invoice.number }} en retard', text: 'Bonjour {{ contact.firstName }}.' } },
  },
};

const variables = {
  contact: { firstName: 'Anna' },
  invoice: { number: 'F-1042' },
  planUrl: 'https://pay.example.com/plan?a=1&b=2',
};

describe('choosing the variant', () => {
  it(
    'gives a Swiss German contact with payment trouble the German empathetic variant, ' +
      'in MJML with a derived text part',
    async () => {
      const message = await renderMessage(latePayment, { language: 'de-CH', paymentTrouble: true, variables });
      expect(message.locale).toBe('de');
      expect(message.tone).toBe('empathetic');
      expect(message.subject).toBe('Können wir bei Rechnung F-1042 helfen?');
      expect(message.html).toContain('Hallo Anna, wir können die Zahlung in Raten aufteilen.');
      expect(message.html).toContain('href="https://pay.example.com/plan?a=1&amp;b=2"');
      expect(message.text).toContain('Hallo Anna, wir können die Zahlung in Raten aufteilen.');
      expect(message.text).toContain('Ratenplan ansehen (https://pay.example.com/plan?a=1&b=2)');
      expect(message.text).not.toMatch(/<|mso|{/);
    },
  );

  it('loads no web fonts: opening the e-mail tells no font service that it was read', async () => {
    const message = await renderMessage(latePayment, { language: 'de', paymentTrouble: true, variables });
    expect(message.html).toContain('Ubuntu');
    expect(message.html).not.toMatch(/fonts\.googleapis|@import|<link/);
  });

  it(
    'uses the standard tone without payment trouble, ' + 'and falls back to it when no empathetic one is written',
    async () => {
      expect(chooseVariant(latePayment, 'de-AT', false)).toMatchObject({ locale: 'de', tone: 'standard' });
      expect(chooseVariant(latePayment, 'fr-CA', true)).toMatchObject({ locale: 'fr', tone: 'standard' });
    },
  );

  it('falls back to English for a language with no variant, and when the language is unknown', async () => {
    const japanese = await renderMessage(latePayment, { language: 'ja-JP', paymentTrouble: false, variables });
    expect(japanese).toMatchObject({
      locale: 'en',
      tone: 'standard',
      subject: 'Invoice F-1042 is overdue',
      html: null,
    });
    expect(japanese.text).toBe('Hello Anna, invoice F-1042 is overdue.');
    expect(chooseVariant(latePayment, null, true)).toMatchObject({ locale: 'en', tone: 'empathetic' });
  });

  it('names the template and the locales tried when none fits', () => {
    const germanOnly: MessageTemplate = {
      key: 'welcome',
      variants: { de: { standard: { subject: 'Willkommen', text: 'Hallo' } } },
    };
    expect(() => chooseVariant(germanOnly, 'it-IT', false)).toThrow(
      /template "welcome".*"it-IT", "it", "en".*written locales: de/,
    );
  });
});

describe('rendering', () => {
  it('renders a missing variable as empty text', async () => {
    const message = await renderMessage(latePayment, {
      language: 'en',
      paymentTrouble: false,
      variables: { invoice: { number: 'F-7' } },
    });
    expect(message.text).toBe('Hello , invoice F-7 is overdue.');
  });

  it('escapes variables in HTML but not in the text part', async () => {
    const message = await renderMessage(latePayment, {
      language: 'de',
      paymentTrouble: true,
      variables: { ...variables, contact: { firstName: '<script>alert(1)</script>' } },
    });
    expect(message.html).not.toContain('<script>alert(1)</script>');
    expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message.text).toContain('Hallo <script>alert(1)</script>,');
  });

  it('refuses an unknown filter, naming the template, locale, tone and filter', async () => {
    const broken: MessageTemplate = {
      key: 'renewal',
      variants: { en: { standard: { subject: 'Hi', text: 'Renews {{ date | shout }}' } } },
    };
    const error = await renderMessage(broken, { language: 'en', paymentTrouble: false, variables: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MessageTemplateError);
    expect((error as MessageTemplateError).templateKey).toBe('renewal');
    expect((error as Error).message).toMatch(/template "renewal" \(en, standard\) text: .*shout/);
    await expect(checkMessageTemplate(broken)).rejects.toThrow(/renewal.*shout/);
    await expect(checkMessageTemplate(latePayment)).resolves.toBeUndefined();
  });

  it('refuses invalid MJML with the line and the problem', async () => {
    const broken: MessageTemplate = {
      key: 'outage',
      variants: {
        en: { standard: { subject: 'Outage', mjml: '<mjml><mj-body>\n<mj-text>Sorry</mj-text></mj-body></mjml>' } },
      },
    };
    await expect(renderMessage(broken, { language: 'en', paymentTrouble: false, variables: {} })).rejects.toThrow(
      /template "outage" \(en, standard\) mjml: invalid MJML: line 2: mj-text cannot be used inside mj-body/,
    );
  });

  it('cannot read files or reach into objects beyond their own properties', async () => {
    const sneaky: MessageTemplate = {
      key: 'sneaky',
      variants: { en: { standard: { subject: 'x', text: '{% include "/etc/passwd" %}' } } },
    };
    await expect(renderMessage(sneaky, { language: 'en', paymentTrouble: false, variables: {} })).rejects.toThrow(
      /template "sneaky"/,
    );
    const prototype: MessageTemplate = {
      key: 'prototype',
      variants: {
        en: { standard: { subject: 'x', text: '[{{ contact.constructor.name }}][{{ contact.toString }}]' } },
      },
    };
    const message = await renderMessage(prototype, { language: 'en', paymentTrouble: false, variables });
    expect(message.text).toBe('[][]');
  });
});
