/**
 * Handing a conversation from the AI to staff (spec: portal-messages.txt
 * "AI Receptionist handoff … Tagged as AI handoff"): the conversation is left
 * Unassigned with the "AI handoff" tag (`conversations.ai_handoff_reason`)
 * and the thread gets a system entry saying why.
 */
import type { TenantTx } from '../db/tenant.js';
import type { HandoffReason } from './structured-output.js';

/** The thread's system entry per reason. */
export const HANDOFF_ENTRY: Record<HandoffReason, string> = {
  customer_asked: 'AI handoff: the customer asked to speak to a person',
  complaint: 'AI handoff: the customer seems unhappy (possible complaint)',
  unsure: 'AI handoff: the AI receptionist was unsure how to answer',
  ai_error: 'AI handoff: the AI receptionist could not reach its model',
};

export async function handOff(trx: TenantTx, orgId: string, conversationId: string, reason: HandoffReason, now: Date): Promise<void> {
  await trx.updateTable('conversations').set({ assignee_id: null, ai_handoff_reason: reason, ai_handoff_at: now })
    .where('org_id', '=', orgId).where('id', '=', conversationId).execute();
  await trx.insertInto('messages').values({
    org_id: orgId, conversation_id: conversationId, direction: 'internal', channel: 'internal', content_type: 'system',
    body: HANDOFF_ENTRY[reason], metadata: JSON.stringify({ aiHandoff: reason }), status: null, failure_reason: null, provider_error_code: null,
    provider: null, provider_message_id: null, cost: null, cost_currency: null, sender_user_id: null, notification_type: null,
    occurred_at: now, status_updated_at: null, read_at: null, media: '[]', ai_generated: true,
  }).execute();
}
