/**
 * Customer contact details (phone numbers, email addresses) are shown only
 * to principals with `customers.contact.view`: technicians never receive
 * them (spec: portal-messaging-fallback.txt, "technicians do not have direct
 * access to customer contact information"). Presenters call this; nothing
 * else decides it.
 */
import type { Principal } from './principal.js';

export function canSeeContact(principal: Principal): boolean {
  return principal.capabilities.has('customers.contact.view');
}
