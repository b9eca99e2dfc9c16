/**
 * Short-lived signed URLs for a provider that must fetch our media itself
 * (Twilio fetching outbound MMS `MediaUrl`s: provider-protocols.md §11b).
 *
 * `{PUBLIC_BASE_URL}/media/signed/{orgId}/{mediaId}?expires={unix s}&sig={hex}`
 * where `sig` = HMAC-SHA256(MEDIA_URL_SECRET, "{orgId}/{mediaId}/{expires}").
 * Valid until `expires` (MEDIA_URL_TTL_SECONDS after signing); checked in
 * constant time. Without MEDIA_URL_SECRET the key is random per process
 * (the URL only works on the instance that signed it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';

const processKey = randomBytes(32).toString('hex');

function keyOf(config: Config): string {
  return config.MEDIA_URL_SECRET ?? processKey;
}

function signature(config: Config, orgId: string, mediaId: string, expires: number): string {
  return createHmac('sha256', keyOf(config)).update(`${orgId}/${mediaId}/${expires}`).digest('hex');
}

/**
 * @param now current time in epoch milliseconds
 * @returns the absolute URL
 */
export function signedMediaUrl(config: Config, orgId: string, mediaId: string, now: number = Date.now()): string {
  const expires = Math.floor(now / 1000) + config.MEDIA_URL_TTL_SECONDS;
  return `${config.PUBLIC_BASE_URL}/media/signed/${orgId}/${mediaId}?expires=${expires}&sig=${signature(config, orgId, mediaId, expires)}`;
}

/** Whether `sig` signs this object until `expires` and `expires` is still ahead of `now` (ms). */
export function verifySignedMedia(config: Config, orgId: string, mediaId: string, expires: number, sig: string, now: number = Date.now()): boolean {
  if (!Number.isSafeInteger(expires) || expires * 1000 < now || !/^[0-9a-f]{64}$/.test(sig)) return false;
  return timingSafeEqual(Buffer.from(signature(config, orgId, mediaId, expires), 'hex'), Buffer.from(sig, 'hex'));
}
