/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex>`,
 * the lowercase hex HMAC-SHA256 of the exact request bytes keyed with the app
 * secret (provider-protocols.md §7). Re-serialised JSON does not match, so
 * this works on the raw body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` is a valid signature of `rawBody`; constant-time comparison. */
export function isValidWhatsAppSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
