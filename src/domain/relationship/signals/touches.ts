// What the contact signals (neglected, async-only, never-spoken) read of an account's touches: the newest,
// the last spoken one, and how their reasons name a channel.
import type { Touch, TouchChannel } from '../account-snapshot.js';
import { isSpoken } from '../contact-audit.js';

export const channelWords: Readonly<Record<TouchChannel, string>> = {
  phone: 'a phone call',
  video: 'a video call',
  meeting: 'a meeting',
  email: 'e-mail',
  sms: 'SMS',
  chat: 'chat',
  letter: 'letter',
};

/** The newest spoken contact: the snapshot's, or a spoken touch the snapshot has not yet folded in. */
export function lastSpokenOf(lastSpokenAt: Date | null, touches: readonly Touch[], now: Date): Date | null {
  let latest = lastSpokenAt !== null && lastSpokenAt.getTime() <= now.getTime() ? lastSpokenAt : null;
  for (const touch of touches) {
    if (!isSpoken(touch) || touch.at.getTime() > now.getTime()) continue;
    if (latest === null || touch.at.getTime() > latest.getTime()) latest = touch.at;
  }
  return latest;
}

export function newestOf(touches: readonly Touch[]): Touch | null {
  let newest: Touch | null = null;
  for (const touch of touches) if (newest === null || touch.at.getTime() > newest.at.getTime()) newest = touch;
  return newest;
}
