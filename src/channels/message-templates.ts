// Renders a message from a Liquid template set with locale and tone variants: the contact's
// language (de-AT → de → en), an empathetic tone for payment trouble when one is written, MJML → HTML,
// and a text part always. Templates cannot read files or run code; errors name template and locale.
import { Liquid } from 'liquidjs';
import mjml2html from 'mjml';
import type { MessageTemplate, MessageTone, MessageVariant } from '../domain/message-template.js';
import { textFromHtml } from './html-to-text.js';
import { writtenLinks } from './link-tracking.js';

export interface RenderRequest {
  /** The contact's language tag (e.g. 'de-CH'); null when unknown. */
  readonly language: string | null;
  /** The contact has trouble paying: prefer the empathetic tone when one is written. */
  readonly paymentTrouble: boolean;
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface RenderedMessage {
  readonly locale: string;
  readonly tone: MessageTone;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  /** The links written in the chosen variant itself (not those its variables brought): these are tracked. */
  readonly writtenLinks: readonly string[];
}

/** A template that cannot be rendered: which template, which locale and tone, which part, what is wrong. */
export class MessageTemplateError extends Error {
  constructor(
    readonly templateKey: string,
    readonly locale: string | null,
    readonly tone: MessageTone | null,
    readonly part: 'subject' | 'text' | 'mjml' | 'variants',
    problem: string,
  ) {
    const where =
      locale === null
        ? `template "${templateKey}"`
        : `template "${templateKey}" (${locale}, ${tone ?? 'any tone'}) ${part}`;
    super(`${where}: ${problem}`);
    this.name = 'MessageTemplateError';
  }
}

// No file system (an empty in-memory template map: include/render/layout find nothing), no prototype
// access, and limits so that a template cannot run away with time or memory.
const safety = {
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  templates: {},
  parseLimit: 200_000,
  renderLimit: 1_000,
  memoryLimit: 20_000_000,
} as const;
const plainLiquid = new Liquid(safety);
const htmlLiquid = new Liquid({ ...safety, outputEscape: 'escape' });

/**
 * Picks the variant for a contact: their full language tag, then its primary language, then the
 * template's default; within that locale the empathetic tone for payment trouble if written,
 * otherwise standard (or whichever tone exists).
 */
export function chooseVariant(
  template: MessageTemplate,
  language: string | null,
  paymentTrouble: boolean,
): { locale: string; tone: MessageTone; variant: MessageVariant } {
  const defaultLocale = template.defaultLocale ?? 'en';
  const candidates: string[] = [];
  if (language !== null && language.trim() !== '') {
    const tag = language.trim().replace(/_/g, '-');
    candidates.push(tag, tag.split('-')[0]!);
  }
  candidates.push(defaultLocale);
  const locales = Object.keys(template.variants);
  for (const candidate of candidates) {
    const locale = locales.find((written) => written.toLowerCase() === candidate.toLowerCase());
    if (locale === undefined) continue;
    const tones = template.variants[locale] ?? {};
    const order: MessageTone[] = paymentTrouble ? ['empathetic', 'standard'] : ['standard', 'empathetic'];
    for (const tone of order) {
      const variant = tones[tone];
      if (variant !== undefined) return { locale, tone, variant };
    }
  }
  const tried = [...new Set(candidates)].map((locale) => `"${locale}"`).join(', ');
  throw new MessageTemplateError(
    template.key,
    null,
    null,
    'variants',
    `no variant for ${tried}; written locales: ${locales.join(', ') || 'none'}`,
  );
}

/** Renders the variant that fits the contact: subject and text as plain text, MJML as escaped HTML. */
export async function renderMessage(template: MessageTemplate, request: RenderRequest): Promise<RenderedMessage> {
  const { locale, tone, variant } = chooseVariant(template, request.language, request.paymentTrouble);
  const fail = (part: 'subject' | 'text' | 'mjml', problem: string) =>
    new MessageTemplateError(template.key, locale, tone, part, problem);
  if (variant.text === undefined && variant.mjml === undefined)
    throw fail('text', 'has neither a text nor an mjml part');
  const variables = { ...request.variables };
  const subject = (await renderLiquid(plainLiquid, variant.subject, variables, (problem) => fail('subject', problem)))
    .replace(/\s+/g, ' ')
    .trim();
  if (subject === '') throw fail('subject', 'renders to an empty subject');
  let html: string | null = null;
  if (variant.mjml !== undefined) {
    const mjml = await renderLiquid(htmlLiquid, variant.mjml, variables, (problem) => fail('mjml', problem));
    html = await htmlFromMjml(mjml, (problem) => fail('mjml', problem));
  }
  const text =
    variant.text !== undefined
      ? (await renderLiquid(plainLiquid, variant.text, variables, (problem) => fail('text', problem))).trim()
      : textFromHtml(html ?? '');
  if (text === '') throw fail('text', 'renders to an empty text part');
  return {
    locale,
    tone,
    subject,
    text,
    html,
    writtenLinks: writtenLinks([variant.subject, variant.text ?? '', variant.mjml ?? '']),
  };
}

/**
 * Renders a playbook step's variables against the message context (e.g. `"{{ signal.instance }}"`):
 * a string with Liquid in it becomes its rendered text, anything else stays as written.
 */
export async function renderVariables(
  templateKey: string,
  variables: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    rendered[name] =
      typeof value === 'string' && /\{\{|\{%/.test(value)
        ? (
            await renderLiquid(
              plainLiquid,
              value,
              { ...context },
              (problem) => new MessageTemplateError(templateKey, null, null, 'text', `variable ${name}: ${problem}`),
            )
          ).trim()
        : value;
  }
  return rendered;
}

/**
 * Checks every variant of a template at load time (Liquid syntax, known filters, valid MJML), so that
 * a broken template stops the start instead of a send.
 */
export async function checkMessageTemplate(template: MessageTemplate): Promise<void> {
  for (const [locale, tones] of Object.entries(template.variants)) {
    for (const tone of ['standard', 'empathetic'] as const) {
      if (tones[tone] === undefined) continue;
      const only: MessageTemplate = {
        key: template.key,
        defaultLocale: locale,
        variants: { [locale]: { [tone]: tones[tone] } },
      };
      await renderMessage(only, { language: locale, paymentTrouble: tone === 'empathetic', variables: {} }).catch(
        (error: unknown) => {
          // An empty subject or text with no variables is expected of a template made only of variables.
          if (error instanceof MessageTemplateError && /renders to an empty/.test(error.message)) return;
          throw error;
        },
      );
    }
  }
}

/**
 * What keeps a template from rendering, or null: the check config/template-library.ts runs on every
 * template at start. Failures other than the template's own are thrown.
 */
export async function templateProblem(template: MessageTemplate): Promise<string | null> {
  try {
    await checkMessageTemplate(template);
    return null;
  } catch (error) {
    if (!(error instanceof MessageTemplateError)) throw error;
    return error.message;
  }
}

async function renderLiquid(
  liquid: Liquid,
  source: string,
  variables: Record<string, unknown>,
  fail: (problem: string) => MessageTemplateError,
): Promise<string> {
  let parsed: ReturnType<Liquid['parse']>;
  try {
    parsed = liquid.parse(source);
  } catch (error) {
    throw fail(liquidProblem(error));
  }
  try {
    return String(await liquid.render(parsed, variables));
  } catch (error) {
    throw fail(liquidProblem(error));
  }
}

function liquidProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, file:[^,)]*/g, '');
}

interface MjmlFailure {
  errors?: { formattedMessage?: string; message?: string; line?: number }[];
  message?: string;
}

async function htmlFromMjml(mjml: string, fail: (problem: string) => MessageTemplateError): Promise<string> {
  try {
    // mjml 4 returns synchronously (its types describe mjml 5's promise); awaiting covers both.
    // No web fonts: a font fetched from a font service when the e-mail opens tells that service it was read.
    const result = await mjml2html(mjml, {
      validationLevel: 'strict',
      ignoreIncludes: true,
      keepComments: false,
      fonts: {},
    });
    return result.html;
  } catch (error) {
    const failure = (typeof error === 'object' && error !== null ? error : {}) as MjmlFailure;
    const details = (failure.errors ?? []).map(
      (problem) => `line ${problem.line ?? '?'}: ${problem.message ?? problem.formattedMessage ?? ''}`,
    );
    throw fail(
      details.length > 0 ? `invalid MJML: ${details.join('; ')}` : `invalid MJML: ${failure.message ?? String(error)}`,
    );
  }
}
