/**
 * Phone numbers are stored in E.164 (`+447700900123`). Parsing uses
 * libphonenumber-js with GB as the default region, so a UK number typed
 * nationally (`07700 900123`) normalises to the same value as `+44 7700 900123`.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalise a phone number to E.164.
 * @returns the E.164 string, or null when the input is not a possible number
 */
export function toE164(raw: string, defaultRegion: CountryCode = 'GB'): string | null {
  const trimmed = raw.trim();
  if (!trimmed) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/**
 * A WhatsApp id (`wa_id`, `from`) is the international number as digits
 * without `+` (provider-protocols.md §7); return it in E.164.
 */
export function fromWhatsAppId(waId: string): string | null {
  return /^[1-9]\d{6,14}$/.test(waId) ? toE164(`+${waId}`) : null;
}

/**
 * Twilio addresses are E.164, or channel-prefixed (`whatsapp:+1…`).
 * @returns the channel the address belongs to and its E.164 number
 */
export function parseTwilioAddress(address: string): { channel: 'sms' | 'whatsapp'; e164: string | null } {
  if (address.startsWith('whatsapp:')) return { channel: 'whatsapp', e164: toE164(address.slice('whatsapp:'.length)) };
  return { channel: 'sms', e164: toE164(address) };
}
