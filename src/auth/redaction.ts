/**
 * Customer contact details (phone numbers, email addresses) are shown only
 * to principals with `customers.contact.view`: technicians never receive
 * them (spec: portal-messaging-fallback.txt, "technicians do not have direct
 * access to customer contact information"). Presenters and the event
 * stream call this; nothing else decides it.
 *
 * Contact details include what embeds or quotes them (issue 10 item 5): a
 * provider message id (a WhatsApp `wamid.HBgM…` is base64 of the
 * customer's number) and a provider's raw error text (Twilio and SMTP quote
 * the recipient).
 */
import type { Principal } from './principal.js';

export function canSeeContact(principal: Principal): boolean {
  return principal.capabilities.has('customers.contact.view');
}

/** Keys of API payloads (presenters, events) whose values are or embed contact details. */
export const CONTACT_KEYS: ReadonlySet<string> = new Set([
  'phone', 'contactPhone', 'customerPhone', 'email', 'customerEmail', 'providerMessageId', 'providerErrorText',
]);

function withoutContact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutContact);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, CONTACT_KEYS.has(key) ? null : withoutContact(v)]));
}

/**
 * `value` as a viewer may see it: itself when `contactVisible`, else a copy
 * with every `CONTACT_KEYS` field, at any depth, replaced by null.
 */
export function redactContact<T>(value: T, contactVisible: boolean): T {
  return contactVisible ? value : (withoutContact(value) as T);
}
