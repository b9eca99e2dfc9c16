/**
 * What one principal may receive of an event of their organisation
 * (spec: messaging-inbox.txt, Permissions; issue 5 item 7):
 * - every event needs `messages.view` (the stream's route requires it too);
 * - `approval.*` events only reach holders of `messages.approve` (the
 *   Approval Queue);
 * - customer contact details are never sent to a principal without
 *   `customers.contact.view` (technicians): any payload field named like a
 *   phone number or email address is replaced by null, as the presenters do
 *   (`canSeeContact`, src/auth/redaction.ts). Today's payloads carry none;
 *   this keeps a future one from leaking.
 */
import type { Principal } from '../auth/principal.js';
import { canSeeContact } from '../auth/redaction.js';
import type { InboxEvent } from './event-log.js';

/** Payload keys that hold customer contact details. */
const CONTACT_KEYS: ReadonlySet<string> = new Set(['phone', 'contactPhone', 'customerPhone', 'email', 'customerEmail']);

/** Whether `principal` may receive `event` at all. */
export function mayReceive(principal: Principal, event: InboxEvent): boolean {
  if (!principal.capabilities.has('messages.view')) return false;
  if (event.type.startsWith('approval.')) return principal.capabilities.has('messages.approve');
  return true;
}

function withoutContact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutContact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, CONTACT_KEYS.has(key) ? null : withoutContact(v)]));
}

/**
 * The payload as `principal` may see it.
 * @returns `payload` itself when the principal sees contact details, else a redacted copy
 */
export function payloadFor(principal: Principal, payload: Record<string, unknown>): Record<string, unknown> {
  return canSeeContact(principal) ? payload : (withoutContact(payload) as Record<string, unknown>);
}
