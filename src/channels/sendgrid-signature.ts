// SendGrid's proof that an Inbound Parse post is its own, when the Parse setting has a security policy with
// signature verification: an ECDSA (P-256, SHA-256) signature over the timestamp followed by the raw body,
// in the same headers as its signed Event Webhook, checked with the policy's public key.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export const sendgridSignatureHeader = 'x-twilio-email-event-webhook-signature';
export const sendgridTimestampHeader = 'x-twilio-email-event-webhook-timestamp';

/** How far SendGrid's timestamp may be from now: it signs when it posts. */
const tolerance = 15 * 60 * 1000;

/**
 * The policy's public key as SendGrid shows it (base64 of the DER key, or PEM); null when it is neither,
 * or not an elliptic-curve key.
 */
export function readSendgridPublicKey(value: string): KeyObject | null {
  try {
    const key = value.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(value)
      : createPublicKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' ? key : null;
  } catch {
    return null;
  }
}

/** Why a post is not SendGrid's signed one, or null when it is (a correct, fresh signature over this body). */
export function sendgridSignatureProblem(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  now: Date,
): string | null {
  if (signature === undefined || timestamp === undefined) {
    return `is missing: SendGrid sends it in ${sendgridSignatureHeader} and ${sendgridTimestampHeader}`;
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  let correct = false;
  try {
    correct = verify('sha256', signed, key, Buffer.from(signature, 'base64'));
  } catch {
    correct = false;
  }
  if (!correct) {
    return 'does not match: the post was not signed by SendGrid with the key in TEND_SENDGRID_INBOUND_PUBLIC_KEY';
  }
  const at = Number(timestamp) * 1000;
  if (!Number.isFinite(at) || Math.abs(now.getTime() - at) > tolerance) {
    return 'is more than 15 minutes from now (a replayed post, or a wrong clock)';
  }
  return null;
}
