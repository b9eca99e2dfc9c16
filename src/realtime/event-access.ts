/**
 * What one principal may receive of an event of their organisation
 * (spec: messaging-inbox.txt, Permissions; issue 5 item 7):
 * - every event needs `messages.view` (the stream's route requires it too);
 * - `approval.*` events only reach holders of `messages.approve` (the
 *   Approval Queue);
 * - customer contact details are never sent to a principal without
 *   `customers.contact.view` (technicians): any payload field named like a
 *   phone number or email address, or embedding one (provider message ids,
 *   a provider's raw error text), is replaced by null, as the presenters do
 *   (src/auth/redaction.ts).
 */
import type { Principal } from '../auth/principal.js';
import { canSeeContact, redactContact } from '../auth/redaction.js';
import type { InboxEvent } from './event-log.js';
import type { StreamAudience } from './event-stream.js';

/** Whether `principal` may receive `event` at all. */
export function mayReceive(principal: Principal, event: InboxEvent): boolean {
  if (!principal.capabilities.has('messages.view')) return false;
  if (event.type.startsWith('approval.')) return principal.capabilities.has('messages.approve');
  return true;
}

/**
 * The payload as `principal` may see it.
 * @returns `payload` itself when the principal sees contact details, else a redacted copy
 */
export function payloadFor(principal: Principal, payload: Record<string, unknown>): Record<string, unknown> {
  return redactContact(payload, canSeeContact(principal));
}

/** A staff principal's stream audience: `mayReceive`, then `payloadFor`. */
export function staffAudience(principal: Principal): StreamAudience {
  return {
    orgId: principal.orgId,
    present: (event) => mayReceive(principal, event)
      ? { type: event.type, conversationId: event.conversationId, payload: payloadFor(principal, event.payload) }
      : null,
  };
}
