/**
 * Provider message ids for one replay run, derived from the run id so a run
 * is reproducible while a new run id gives a new day's ids (a second replay
 * adds messages instead of re-sending the first day's).
 */
import { createHash } from 'node:crypto';

function digest(runId: string, label: string): Buffer {
  return createHash('sha256').update(`${runId}:${label}`).digest();
}

/** A 34-character Twilio sid (`SM…` message, `MM…` MMS, `ME…` media). */
export function twilioSid(prefix: 'SM' | 'MM' | 'ME', runId: string, label: string): string {
  return prefix + digest(runId, `${prefix}:${label}`).toString('hex').slice(0, 32);
}

/**
 * A WhatsApp message id shaped like Meta's (`wamid.` + base64). The base64
 * alphabet includes `/` and `+`, which Meta's JSON escapes as `\/`.
 */
export function wamid(runId: string, label: string): string {
  const bytes = Buffer.concat([Buffer.from('\x18\x0c447700900', 'latin1'), digest(runId, `wamid:${label}`).subarray(0, 18)]);
  return `wamid.HBgM${bytes.toString('base64')}`;
}

/** A numeric WhatsApp media id. */
export function whatsAppMediaId(runId: string, label: string): string {
  return String(1_000_000_000_000_000n + (digest(runId, `media:${label}`).readBigUInt64BE(0) % 8_999_999_999_999_999n));
}

/** A short hex token (idempotency tokens, conversation ids). */
export function hexToken(runId: string, label: string, length = 32): string {
  return digest(runId, `token:${label}`).toString('hex').slice(0, length);
}
