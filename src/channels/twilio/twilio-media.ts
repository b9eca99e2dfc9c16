/**
 * Fetching an inbound MMS media file from Twilio: `GET MediaUrl{N}` with
 * HTTP Basic auth (account SID : auth token), needed when the account
 * enforces media authentication (provider-protocols.md §11b). Twilio
 * redirects to a short-lived CDN URL.
 *
 * Credentials are only sent to Twilio's own API origin (`TWILIO_API_BASE_URL`):
 * a media URL elsewhere is refused rather than handed the auth token.
 */
import { ProviderError } from '../contract.js';
import { downloadMedia, type Downloaded } from '../media-download.js';

/** The account SID in a Twilio media URL (`/2010-04-01/Accounts/{AC…}/Messages/…/Media/…`). */
export function accountSidOfMediaUrl(url: string): string | null {
  return /\/Accounts\/(AC[0-9a-fA-F]{32})\//.exec(url)?.[1] ?? null;
}

export type TwilioMediaRequest = {
  url: string;
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE_URL: the only origin that gets the credentials. */
  apiBaseUrl: string;
  timeoutMs: number;
};

/**
 * @throws MediaGone on 404/410; ProviderError (`permanent` for a URL outside Twilio's API origin)
 */
export async function fetchTwilioMedia(r: TwilioMediaRequest): Promise<Downloaded> {
  if (new URL(r.url).origin !== new URL(r.apiBaseUrl).origin) {
    throw new ProviderError('permanent', 'Twilio: media URL is not on the Twilio API origin; credentials withheld');
  }
  const basic = Buffer.from(`${r.accountSid}:${r.authToken}`).toString('base64');
  return downloadMedia('Twilio', r.url, { authorization: `Basic ${basic}` }, r.timeoutMs);
}
