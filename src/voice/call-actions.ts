/**
 * Staff actions on a call (issue 14 items 6, 7; spec: messaging-inbox.txt):
 *
 * - Mark resolved: a missed call, voicemail, escalation or errored call
 *   keeps its conversation in Unread (its entry stays unread, whatever
 *   opening the thread does) until resolved; resolving marks the entry read,
 *   so the unread-count trigger of migration 0005 lowers the conversation's
 *   count and the Unread badge.
 * - Reassign: move the call's entry to another customer's one conversation
 *   (created if they have none) or detach it to an anonymous conversation of
 *   its own; the move trigger of migration 0012 carries its unread count and
 *   activity and emits `call.moved` to both conversations; its recording's
 *   media row goes with it. A conversation left empty by the move is deleted. Both are in the staff audit log.
 */
import { sql } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../auth/audit.js';
import type { TenantTx } from '../db/tenant.js';
import { needsResolution } from '../domain/call-state.js';
import { lockCall, refreshCall } from '../ingest/record-call.js';
import { AppError } from '../server/errors.js';
import { moveCallRecordings } from './recording-store.js';

/** Shown as the name of a conversation a call was detached to. */
export const ANONYMOUS_NAME = 'Anonymous caller';

/**
 * @returns changed false when it was already resolved
 * @throws AppError not_found | conflict (answered or live calls resolve themselves)
 */
export async function resolveCall(trx: TenantTx, principal: Principal, callId: string, now: Date): Promise<{ changed: boolean }> {
  const call = await lockCall(trx, principal.orgId, { callId });
  if (!call) throw new AppError('not_found', 'No such call in this organisation.');
  if (call.resolved_at) return { changed: false };
  if (!needsResolution(call.direction, call.outcome)) throw new AppError('conflict', 'Only missed, voicemail, escalated or errored inbound calls need resolving.');
  await trx.updateTable('calls').set({ resolved_at: now, resolved_by_user_id: principal.userId }).where('org_id', '=', principal.orgId).where('id', '=', call.id).execute();
  await trx.updateTable('messages').set({ read_at: now }).where('org_id', '=', principal.orgId).where('id', '=', call.message_id).where('read_at', 'is', null).execute();
  await refreshCall(trx, principal.orgId, { ...call, resolved_at: now });
  await recordAudit(trx, principal, { action: 'call.resolved', targetType: 'call', targetId: call.id, before: { outcome: call.outcome, resolved: false }, after: { resolved: true } });
  return { changed: true };
}

/**
 * Move the call to `customerId`'s conversation, or (null) detach it to an anonymous one.
 * @returns the conversations it moved between; changed false when it was already there
 * @throws AppError not_found (call or customer)
 */
export async function reassignCall(trx: TenantTx, principal: Principal, callId: string, customerId: string | null, reason: string | null): Promise<{ fromConversationId: string; toConversationId: string; changed: boolean }> {
  const orgId = principal.orgId;
  const call = await lockCall(trx, orgId, { callId });
  if (!call) throw new AppError('not_found', 'No such call in this organisation.');
  const entry = await trx.selectFrom('messages as m').innerJoin('conversations as c', (j) => j.onRef('c.org_id', '=', 'm.org_id').onRef('c.id', '=', 'm.conversation_id'))
    .select(['m.conversation_id', 'c.customer_id', 'c.anonymous_call_sid']).where('m.org_id', '=', orgId).where('m.id', '=', call.message_id).executeTakeFirstOrThrow();
  const from = entry.conversation_id;
  const anonymousKey = call.call_sid ?? call.id;
  let to: string;
  if (customerId) {
    const customer = await trx.selectFrom('customers').select('id').where('org_id', '=', orgId).where('id', '=', customerId).executeTakeFirst();
    if (!customer) throw new AppError('not_found', 'No such customer in this organisation.');
    if (entry.customer_id === customerId) return { fromConversationId: from, toConversationId: from, changed: false };
    const { rows } = await sql<{ id: string }>`
      INSERT INTO conversations AS c (org_id, customer_id, last_channel, last_activity_at)
      VALUES (${orgId}::uuid, ${customerId}::uuid, 'voice', now())
      ON CONFLICT (org_id, customer_id) WHERE customer_id IS NOT NULL DO UPDATE SET last_channel = c.last_channel
      RETURNING c.id
    `.execute(trx);
    to = rows[0]!.id;
  } else {
    if (entry.customer_id === null && entry.anonymous_call_sid === anonymousKey) return { fromConversationId: from, toConversationId: from, changed: false };
    const { rows } = await sql<{ id: string }>`
      INSERT INTO conversations AS c (org_id, anonymous_call_sid, contact_name, last_channel, last_activity_at)
      VALUES (${orgId}::uuid, ${anonymousKey}, ${ANONYMOUS_NAME}, 'voice', now())
      ON CONFLICT (org_id, anonymous_call_sid) WHERE anonymous_call_sid IS NOT NULL DO UPDATE SET last_channel = c.last_channel
      RETURNING c.id
    `.execute(trx);
    to = rows[0]!.id;
  }
  await trx.updateTable('messages').set({ conversation_id: to }).where('org_id', '=', orgId).where('id', '=', call.message_id).execute();
  await moveCallRecordings(trx, orgId, call.id, to);
  const left = await trx.selectFrom('messages').select('id').where('org_id', '=', orgId).where('conversation_id', '=', from).limit(1).executeTakeFirst();
  if (!left) await trx.deleteFrom('conversations').where('org_id', '=', orgId).where('id', '=', from).execute();
  await recordAudit(trx, principal, {
    action: customerId ? 'call.reassigned' : 'call.detached', targetType: 'call', targetId: call.id,
    before: { conversationId: from, customerId: entry.customer_id }, after: { conversationId: to, customerId }, reason,
  });
  return { fromConversationId: from, toConversationId: to, changed: true };
}
