/**
 * Check WhatsApp Cloud API credentials the way Meta documents the phone
 * number node: `GET {base}/{version}/{phone-number-id}?fields=display_phone_number,verified_name,quality_rating`
 * with the access token, then `GET {base}/{version}/{waba-id}/phone_numbers`
 * to confirm the number belongs to that WhatsApp Business Account (template
 * management uses the account id).
 */
import { ProviderError } from '../contract.js';
import { isRecord } from '../http-call.js';
import { graphGet, graphUrl } from './graph-request.js';

export type WhatsAppNumberInfo = { displayPhoneNumber: string; verifiedName: string | null; qualityRating: string | null };

export type WhatsAppLookup = { baseUrl: string; apiVersion: string; phoneNumberId: string; wabaId: string; accessToken: string; timeoutMs: number };

/**
 * @returns the number as Meta displays it, its verified business name and quality rating
 * @throws ProviderError `bad_credentials` (token invalid, code 190…), `permanent` (unknown id, code 100;
 *   or `number_not_in_account` as providerCode when the number is not one of the business account's)
 */
export async function lookUpWhatsAppNumber(lookup: WhatsAppLookup): Promise<WhatsAppNumberInfo> {
  const base = `${graphUrl(lookup.baseUrl, lookup.apiVersion, lookup.phoneNumberId, '')}`.replace(/\/$/, '');
  const node = await graphGet({ url: `${base}?fields=display_phone_number,verified_name,quality_rating`, accessToken: lookup.accessToken, timeoutMs: lookup.timeoutMs });
  if (!isRecord(node) || typeof node.display_phone_number !== 'string') throw new ProviderError('permanent', 'WhatsApp: the phone number could not be read');
  const edge = await graphGet({ url: `${graphUrl(lookup.baseUrl, lookup.apiVersion, lookup.wabaId, 'phone_numbers')}?fields=id&limit=100`, accessToken: lookup.accessToken, timeoutMs: lookup.timeoutMs });
  const ids = isRecord(edge) && Array.isArray(edge.data) ? edge.data.filter(isRecord).map((n) => String(n.id)) : [];
  if (!ids.includes(lookup.phoneNumberId)) {
    throw new ProviderError('permanent', `WhatsApp: phone number ${lookup.phoneNumberId} is not in business account ${lookup.wabaId}`, 'number_not_in_account');
  }
  return {
    displayPhoneNumber: node.display_phone_number,
    verifiedName: typeof node.verified_name === 'string' ? node.verified_name : null,
    qualityRating: typeof node.quality_rating === 'string' ? node.quality_rating : null,
  };
}
