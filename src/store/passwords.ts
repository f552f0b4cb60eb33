// Passwords are kept as scrypt hashes with a random salt, their cost written beside them
// (`scrypt$N=32768,r=8,p=3$salt$hash`), so that the cost can be raised later: a hash made at a lower cost
// still verifies, and is made again at the current cost when its owner next signs in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** One of OWASP's equivalent scrypt settings (N=2^15, r=8, p=3): 32 MiB of memory per hash. */
const currentCost: ScryptCost = { N: 32_768, r: 8, p: 3 };
const keyBytes = 32;
const saltBytes = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node refuses more than 32 MiB unless told.
  const maxmem = 256 * cost.N * cost.r;
  return new Promise((done, failed) =>
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...cost, maxmem }, (error, key) =>
      error ? failed(error) : done(key),
    ),
  );
}

function format(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  return `scrypt$N=${cost.N},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (match === null) return null;
  const cost = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  return { cost, salt: Buffer.from(match[4]!, 'base64'), key: Buffer.from(match[5]!, 'base64') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  return format(currentCost, salt, await derive(password, salt, currentCost));
}

/** A hash of nothing anyone knows, to compare against when there is no user, so both take as long. */
let decoy: Promise<string> | null = null;

/**
 * Whether the password is the one hashed in `stored` (compared in constant time). With `stored` null
 * (no such user, or no password) a decoy hash is checked all the same, so that the answer takes as
 * long and does not tell whether the e-mail address is known.
 */
export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'));
  const parsed = parse(stored ?? (await decoy));
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return stored !== null && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made at a lower cost than today's (then it is made again at sign-in). */
export function hashNeedsRenewal(stored: string): boolean {
  const parsed = parse(stored);
  if (parsed === null) return true;
  const { N, r, p } = parsed.cost;
  return N * r * p < currentCost.N * currentCost.r * currentCost.p || N < currentCost.N;
}
