// A message as written in a template file: a key, and its versions by locale and tone. The renderer
// (channels/message-templates.ts) sends it; config/template-library.ts reads it from its file.
export type MessageTone = 'standard' | 'empathetic';

/** One written version of a message: a subject, and a text part, an MJML body, or both. */
export interface MessageVariant {
  readonly subject: string;
  readonly text?: string;
  readonly mjml?: string;
}

/**
 * A message in all its versions, e.g.
 * `{ key: 'late-payment', variants: { en: { standard, empathetic }, de: … } }`.
 */
export interface MessageTemplate {
  readonly key: string;
  readonly variants: Readonly<Record<string, Partial<Record<MessageTone, MessageVariant>>>>;
  /** The locale used when none of the contact's fits (default 'en'). */
  readonly defaultLocale?: string;
}
