// Whether a text is an e-mail address or a host name, checked in time linear in its length (a bounded
// length first, then one pass per part): such texts come from outside, e.g. an account's owner trait.

/** RFC 5321's longest address (a path of 256 octets, less its angle brackets). */
export const maximumAddressLength = 254;
const maximumHostnameLength = 253;

// Each part is matched alone against a pattern without nested repetition, so nothing backtracks.
const forbiddenInLocalPart = /[\s@<>()",;:\\[\]]/;
const hostLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** True for a dotted host name such as `reply.example.com`: labels of letters, digits and inner hyphens. */
export function isHostname(value: string): boolean {
  if (value.length > maximumHostnameLength) return false;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((label) => hostLabel.test(label));
}

/** True for a bare address like `anna@example.com` (no display name, no spaces, a dotted domain). */
export function isEmailAddress(value: string): boolean {
  if (value.length > maximumAddressLength) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  return !forbiddenInLocalPart.test(value.slice(0, at)) && isHostname(value.slice(at + 1));
}
