// Which people a rep's e-mail copied to the log address was with: its To and Cc (the BCC case), and for a
// forward, the sender and recipients of the message forwarded in its body (as Gmail, Outlook and Apple Mail
// quote them). And which of those to tell the rep about when no contact has the address.

/** The rep's e-mail as the capture reads it (addresses lower-cased). */
export interface CapturedEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly text: string;
}

export interface CapturedAddresses {
  /** The people the e-mail was with, lower-cased, without the rep and Tend's own addresses. */
  readonly addresses: readonly string[];
  /** The body holds a forwarded message whose addresses were read. */
  readonly forwarded: boolean;
}

// Plain character classes, no nesting: linear on any input.
const addressPattern = /[^\s<>()[\]",;:\\@]{1,64}@[A-Za-z0-9.-]{1,253}/g;
const maximumAddresses = 50;

const addressesIn = (value: string): string[] =>
  [...value.slice(0, 10_000).matchAll(addressPattern)].map(([found]) => found.toLowerCase().replace(/\.+$/, ''));

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** The lines that open a forwarded message in Gmail, Apple Mail and Outlook. */
const forwardMarker =
  /^[> \t]*(?:-{2,}[ \t]*(?:Forwarded message|Original Message)[ \t]*-{2,}|Begin forwarded message:|_{10,})[ \t]*$/im;

/** The From, To and Cc of the first forwarded message in a body; null when it holds none. */
export function forwardedAddresses(text: string): { from: string[]; to: string[]; cc: string[] } | null {
  const body = text.slice(0, 200_000);
  const marker = forwardMarker.exec(body);
  if (marker === null) return null;
  const found = { from: [] as string[], to: [] as string[], cc: [] as string[] };
  const lines = body.slice(marker.index + marker[0].length).split(/\r?\n/, 30);
  let seenField = false;
  for (const raw of lines) {
    const line = raw.replace(/^[> \t]+/, '');
    if (line.trim() === '') {
      if (seenField) break;
      continue;
    }
    const field = /^(From|To|Cc|Sent|Date|Subject):[ \t]*(.*)$/i.exec(line);
    if (field === null) {
      if (seenField) break;
      continue;
    }
    seenField = true;
    const name = field[1]!.toLowerCase();
    if (name === 'from' || name === 'to' || name === 'cc') found[name].push(...addressesIn(field[2]!));
  }
  return seenField ? found : null;
}

/** The people a captured e-mail was with; `replyDomain` addresses (log@, threads) are Tend's own. */
export function capturedAddresses(email: CapturedEmail, replyDomain: string): CapturedAddresses {
  const forwarded = forwardedAddresses(email.text);
  const all = [...email.to, ...email.cc, ...(forwarded ? [...forwarded.from, ...forwarded.to, ...forwarded.cc] : [])];
  const rep = email.from.toLowerCase();
  const addresses = [...new Set(all.map((address) => address.toLowerCase()))]
    .filter((address) => address !== rep && domainOf(address) !== replyDomain)
    .slice(0, maximumAddresses);
  return { addresses, forwarded: forwarded !== null };
}

/**
 * The addresses worth telling the rep about: no contact has them, and they are not the business's own
 * people (another user, or an address on the rep's own domain: a colleague in copy).
 */
export function unmatchedAddresses(
  addresses: readonly string[],
  matched: ReadonlySet<string>,
  rep: string,
  staff: ReadonlySet<string>,
): string[] {
  const ownDomain = domainOf(rep.toLowerCase());
  return addresses.filter((address) => !matched.has(address) && !staff.has(address) && domainOf(address) !== ownDomain);
}

/** The answer to a rep whose copied e-mail named people Tend does not know. */
export interface CaptureAnswer {
  readonly subject: string;
  readonly text: string;
  /** The app page the answer links to: the first account the e-mail was logged on, else the accounts. */
  readonly path: string;
}

/** What the rep is told: where the e-mail was logged, which addresses matched nobody, and how to fix it. */
export function captureAnswer(input: {
  readonly subject: string;
  readonly loggedOn: readonly { readonly accountId: string; readonly name: string | null }[];
  readonly unmatched: readonly string[];
  readonly logAddress: string;
}): CaptureAnswer {
  const quoted = input.subject.trim() === '' ? 'your e-mail' : `your e-mail "${input.subject.trim().slice(0, 120)}"`;
  const names = input.loggedOn.map((account) => account.name ?? account.accountId);
  const first =
    names.length === 0
      ? `Tend could not log ${quoted}: none of its addresses belongs to a contact.`
      : `Tend logged ${quoted} on ${names.join(', ')}.`;
  const lines = [
    first,
    '',
    `${input.unmatched.length === 1 ? 'This address belongs' : 'These addresses belong'} to no contact in Tend:`,
    ...input.unmatched.map((address) => `  ${address}`),
    '',
    'To log e-mails with them, add each as a contact of their account, or as the e-mail address of a contact',
    'you already have (in the app, your CRM sync or an import). Then forward the e-mail to',
    `${input.logAddress} again: what was logged already is not logged twice.`,
  ];
  const who = input.unmatched.length === 1 ? input.unmatched[0] : `${input.unmatched.length} addresses`;
  const subject = `Not logged for ${who}`;
  const path =
    input.loggedOn[0] === undefined ? '/accounts' : `/accounts/${encodeURIComponent(input.loggedOn[0].accountId)}`;
  return {
    subject: `${subject}: ${input.subject.trim().slice(0, 80) || '(no subject)'}`,
    text: lines.join('\n'),
    path,
  };
}
