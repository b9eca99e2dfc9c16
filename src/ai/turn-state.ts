/**
 * Reads what the AI turn rule (src/domain/ai-turn.ts) decides on, inside the
 * caller's tenant transaction. Called at job start, and again in the send
 * transaction after the conversation row is locked. A person's message is
 * one from a staff member or an integration's API token (not the AI, not the
 * system's bridge SMS). Every write path (composing,
 * approvals, assignment) updates that row, so once it is locked
 * nobody can step in unseen before the AI's reply commits.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { Conversation } from '../db/schema.js';
import type { AiTurnState } from '../domain/ai-turn.js';

/** Customer messages the AI answers (voice calls are shown as context, not answered). */
export const ANSWERED_CHANNELS = ['sms', 'whatsapp', 'portal', 'email'] as const;

export type LatestInbound = { id: string; channel: (typeof ANSWERED_CHANNELS)[number]; receivedAt: Date };

export type TurnSnapshot = {
  org: { name: string; aiEnabled: boolean; aiCreditExhausted: boolean; openingHours: string; instructions: string };
  conversation: Conversation;
  latestInbound: LatestInbound | null;
  state: Omit<AiTurnState, 'answeringInboundId' | 'debounceMs' | 'now'>;
};

/**
 * @param lock take the conversation row lock (the send transaction)
 * @returns null when the conversation does not exist
 */
export async function readTurn(trx: TenantTx, orgId: string, conversationId: string, lock: boolean): Promise<TurnSnapshot | null> {
  let q = trx.selectFrom('conversations').selectAll().where('org_id', '=', orgId).where('id', '=', conversationId);
  if (lock) q = q.forUpdate();
  const conversation = await q.executeTakeFirst();
  if (!conversation) return null;
  const org = await trx.selectFrom('organisations').select(['name', 'ai_enabled', 'ai_credit_exhausted', 'opening_hours', 'ai_instructions'])
    .where('id', '=', orgId).executeTakeFirstOrThrow();
  const facts = await sql<{ inbound_id: string | null; inbound_channel: LatestInbound['channel'] | null; inbound_at: Date | null; staff_at: Date | null; pending: boolean; answered: boolean; canned_at: Date | null }>`
    WITH inbound AS (
      SELECT id, channel, created_at FROM messages
      WHERE org_id = ${orgId} AND conversation_id = ${conversationId} AND direction = 'inbound' AND channel IN ('sms', 'whatsapp', 'portal', 'email')
      ORDER BY created_at DESC, id DESC LIMIT 1
    )
    SELECT i.id AS inbound_id, i.channel AS inbound_channel, i.created_at AS inbound_at,
      (SELECT max(created_at) FROM messages WHERE org_id = ${orgId} AND conversation_id = ${conversationId}
         AND direction = 'outbound' AND NOT ai_generated AND metadata->>'senderType' IN ('staff', 'integration')) AS staff_at,
      EXISTS (SELECT 1 FROM messages WHERE org_id = ${orgId} AND conversation_id = ${conversationId} AND status = 'pending_approval') AS pending,
      EXISTS (SELECT 1 FROM ai_replies r WHERE r.org_id = ${orgId} AND r.inbound_message_id = i.id) AS answered,
      (SELECT max(created_at) FROM ai_replies WHERE org_id = ${orgId} AND conversation_id = ${conversationId} AND action = 'canned' AND outcome <> 'suppressed') AS canned_at
    FROM (SELECT 1) one LEFT JOIN inbound i ON true
  `.execute(trx);
  const f = facts.rows[0]!;
  const latestInbound = f.inbound_id ? { id: f.inbound_id, channel: f.inbound_channel!, receivedAt: new Date(f.inbound_at!) } : null;
  const staffAt = f.staff_at ? new Date(f.staff_at) : null;
  const handoffAt = conversation.ai_handoff_at;
  return {
    org: { name: org.name, aiEnabled: org.ai_enabled, aiCreditExhausted: org.ai_credit_exhausted, openingHours: org.opening_hours, instructions: org.ai_instructions },
    conversation,
    latestInbound,
    state: {
      aiEnabled: org.ai_enabled,
      aiCreditExhausted: org.ai_credit_exhausted,
      assigneeId: conversation.assignee_id,
      latestInbound: latestInbound ? { id: latestInbound.id, receivedAt: latestInbound.receivedAt } : null,
      alreadyAnswered: f.answered,
      latestStaffMessageAt: staffAt,
      approvalPending: f.pending,
      awaitingStaffAfterHandoff: handoffAt !== null && (staffAt === null || staffAt < handoffAt),
      lastCannedAt: f.canned_at ? new Date(f.canned_at) : null,
    },
  };
}
