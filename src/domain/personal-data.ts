// What identifies a person in stored text, for erasure: their ids, e-mail addresses, phone numbers and
// name, as patterns that find them wherever they are quoted, and the event properties that are codes
// rather than a person's words (kept, so that an erased person's events still count for the account).
import { contactFieldsFrom } from './traits.js';
import type { JsonObject } from './tracking-message.js';

/**
 * Event property keys whose values are codes of Tend's vocabulary or the business's systems (a
 * channel, an invoice number, a currency), not what a person wrote or who they are. An erasure keeps
 * these, numbers and booleans, unless they quote the person; every other value of their events goes.
 */
export const keptPropertyKeys: readonly string[] = [
  'channel',
  'direction',
  'status',
  'outcome',
  'kind',
  'source',
  'category',
  'sentiment',
  'currency',
  'plan',
  'invoiceId',
  'ticketId',
  'outageId',
  'outboxId',
  'runId',
  'signalId',
  'taskId',
  'playbookId',
  'accountId',
  'dueDate',
  'dueAt',
  'template',
  'tone',
  'instance',
];

/** Everything that names one person, gathered from their contact rows and identify calls. */
export interface PersonIdentities {
  /** The user ids they are known by (their own, merged ones) and their anonymous ids. */
  readonly ids: readonly string[];
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  /** Whole names and their parts (first, last). */
  readonly names: readonly string[];
}

/** E-mail addresses compare without case and surrounding space. */
export const normalisedEmail = (email: string): string => email.trim().toLowerCase();

/** Phone numbers compare by their digits and a leading +, however spaced: "+41 79 123 45 67" is "+41791234567". */
export function normalisedPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return phone.trim().startsWith('+') || phone.trim().startsWith('00') ? `+${digits.replace(/^00/, '')}` : digits;
}

/** The e-mail addresses, phone numbers and names in traits (identify calls, contact rows). */
export function identitiesInTraits(traits: JsonObject): { emails: string[]; phones: string[]; names: string[] } {
  const fields = contactFieldsFrom(traits, 'traits', []);
  const parts = ['firstName', 'lastName']
    .map((key) => traits[key])
    .filter((value): value is string => typeof value === 'string');
  return {
    emails: fields.email === null ? [] : [fields.email],
    phones: fields.phone === null ? [] : [fields.phone],
    names: [...(fields.name === null ? [] : [fields.name]), ...parts],
  };
}

/** Shorter name parts ("Li", "de") match too much unrelated text to be erased wherever they appear. */
const shortestNamePart = 3;
/** A phone number with fewer digits than this is not a number that identifies anyone. */
const fewestPhoneDigits = 6;

/**
 * A literal as a regular expression that means the same in JavaScript and in PostgreSQL's advanced
 * regular expressions: ASCII punctuation escaped (a backslash before it is literal in both), letters,
 * digits and other characters as they are.
 */
function literal(text: string): string {
  return text.replace(/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, (character) => `\\${character}`);
}

/** Any of the alternatives, not as part of a longer word or number ("anna" is not found in "annabel"). */
function bounded(alternatives: readonly string[]): string | null {
  if (alternatives.length === 0) return null;
  const unique = [...new Set(alternatives)].sort((a, b) => b.length - a.length);
  return `(?<![A-Za-z0-9])(?:${unique.join('|')})(?![A-Za-z0-9])`;
}

export interface MentionPatterns {
  /** The person's ids: replaced by their erased id, so that keys built from an id stay distinct. Null: not sought. */
  readonly ids: string | null;
  /** Their e-mail addresses, phone numbers (however spaced) and names: replaced by "[erased]". Null: none known. */
  readonly personal: string | null;
}

/**
 * Patterns (for case-insensitive matching, in JavaScript and PostgreSQL alike) that find the person
 * quoted in text. In the person's own records everything that names them is looked for; in records
 * about others (their account, colleagues) only what names them alone: an id such as "42" or a
 * surname shared by a family member would also erase what is not theirs.
 */
export function mentionPatterns(person: PersonIdentities, scope: 'own records' | 'other records'): MentionPatterns {
  const own = scope === 'own records';
  const names = person.names
    .flatMap((name) => (own ? [name, ...name.split(/\s+/)] : [name]))
    .map((name) => name.trim())
    .filter((name) => name.length >= shortestNamePart && (own || /\s/.test(name)))
    .map((name) => name.split(/\s+/).map(literal).join('\\s+'));
  const phones = person.phones
    .map(normalisedPhone)
    .filter((phone) => phone.replace(/\D/g, '').length >= fewestPhoneDigits)
    .map((phone) => (phone.startsWith('+') ? '\\+?' : '') + [...phone.replace(/\D/g, '')].join('[ ().-]*'));
  const emails = person.emails
    .map(normalisedEmail)
    .filter((email) => email !== '')
    .map(literal);
  const ids = own ? bounded(person.ids.filter((id) => id.trim() !== '').map(literal)) : null;
  return { ids, personal: bounded([...emails, ...phones, ...names]) };
}

/** Replaces every mention of the person in a JSON value (strings and keys), keeping its shape. */
export function eraseMentions(value: unknown, patterns: MentionPatterns, erasedId: string): unknown {
  const ids = patterns.ids === null ? null : new RegExp(patterns.ids, 'gi');
  const personal = patterns.personal === null ? null : new RegExp(patterns.personal, 'gi');
  const text = (input: string) => {
    const withoutIds = ids === null ? input : input.replace(ids, erasedId);
    return personal === null ? withoutIds : withoutIds.replace(personal, '[erased]');
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return text(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, inner]) => [text(key), walk(inner)]));
  };
  return walk(value);
}
