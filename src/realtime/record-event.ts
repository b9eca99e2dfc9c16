/**
 * Appends an event to the real-time log (`inbox_events`, migration 0005)
 * inside the caller's tenant transaction: it becomes visible, and is
 * announced to every server instance by the table's NOTIFY trigger, only
 * when that transaction commits. Message events (new message, status
 * change, approvals) are written by triggers on `messages`; this is for the
 * conversation-level ones the application decides (read, assignment,
 * work-order link).
 */
import type { InboxEventType } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';

export type AppEventType = Extract<InboxEventType, 'conversation.read' | 'conversation.assigned' | 'conversation.work_order'>;

/**
 * @param payload JSON-serialisable details the clients need (ids, names); no contact details
 */
export async function recordInboxEvent(trx: TenantTx, orgId: string, type: AppEventType, conversationId: string, payload: Record<string, unknown>): Promise<void> {
  await trx.insertInto('inbox_events').values({ org_id: orgId, type, conversation_id: conversationId, payload: JSON.stringify(payload) }).execute();
}
