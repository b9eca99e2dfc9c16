/**
 * Read Twilio's Message resource returned on create (provider-protocols.md
 * §4: `sid` "SM…", `status`, `price` a negative decimal string or null,
 * `price_unit` ISO-4217) into our SendResult.
 */
import { ProviderError, type SendResult } from '../contract.js';
import type { DeliveryStatus } from '../../db/schema.js';
import { isRecord } from '../http-call.js';

/**
 * Map a 2xx Twilio create reply.
 * Initial statuses `queued`/`accepted`/`scheduled`/`sending` → `pending`,
 * `sent` → `sent`; anything else → `pending` (later status callbacks carry the truth).
 * @throws ProviderError `permanent` when the body has no `sid`: Twilio accepted
 *   the request, so retrying could send the message twice
 */
export function toSendResult(json: unknown): SendResult {
  if (!isRecord(json) || typeof json.sid !== 'string' || json.sid === '') {
    throw new ProviderError('permanent', 'Twilio accepted the request but returned no message sid');
  }
  const result: SendResult = { providerMessageId: json.sid, status: initialStatus(json.status) };
  const cost = toCost(json.price, json.price_unit);
  if (cost) result.cost = cost;
  return result;
}

function initialStatus(status: unknown): DeliveryStatus {
  return status === 'sent' ? 'sent' : 'pending';
}

/** Twilio prices are negative decimal strings (`"-0.00750"`); ours are positive, digits kept exactly. */
function toCost(price: unknown, unit: unknown): SendResult['cost'] | null {
  if (typeof price !== 'string' || typeof unit !== 'string' || !/^-?\d+(\.\d+)?$/.test(price)) return null;
  return { amount: price.startsWith('-') ? price.slice(1) : price, currency: unit.toUpperCase() };
}
