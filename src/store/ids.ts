// UUIDv7 identifiers for records Tend creates: time-ordered, so new rows land at the end of indexes.
import { randomBytes } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;
// The 48 bits of milliseconds a UUIDv7 holds (until the year 10889).
const latestMillis = 2 ** 48 - 1;

/**
 * A UUIDv7 (RFC 9562) for the given instant; monotonic within one process. An instant outside the 48
 * bits is clamped into them, so one odd time can never make every later id fail.
 */
export function newId(at: number = Date.now()): string {
  let millis = Number.isFinite(at) ? Math.min(Math.max(Math.trunc(at), 0), latestMillis) : Date.now();
  if (millis <= lastMillis) {
    millis = lastMillis;
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0 && lastMillis < latestMillis) millis = ++lastMillis;
  } else {
    sequence = 0;
  }
  lastMillis = millis;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(millis, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
