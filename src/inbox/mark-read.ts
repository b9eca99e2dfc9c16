/**
 * Opening a thread marks its unread messages read (spec: messaging-inbox.txt,
 * "Opening a thread automatically marks all unread messages in that
 * conversation as read"; "Filter counts update automatically as messages are
 * read"). The inbox is shared: read means read by the garage, not per user.
 *
 * The trigger on messages lowers `conversations.unread_count` once per
 * message, so two staff opening the thread at once mark each message once
 * (the second UPDATE waits for the first's row locks, then finds nothing
 * unread). One `conversation.read` event is emitted when anything changed.
 *
 * Calls that need resolving (missed, voicemail, escalation, errored) stay
 * unread, so their conversation stays in Unread, until Mark resolved
 * (spec: messaging-inbox.txt; src/voice/call-actions.ts).
 */
import type { TenantTx } from '../db/tenant.js';
import { recordInboxEvent } from '../realtime/record-event.js';

/** Call outcomes whose entry only Mark resolved marks read (src/domain/call-state.ts needsResolution). */
const UNRESOLVED_OUTCOMES = ['missed', 'voicemail', 'escalation', 'errored'] as const;

/** @returns how many messages this call marked read (0 when none were unread) */
export async function markConversationRead(trx: TenantTx, orgId: string, conversationId: string, readBy: { userId: string | null }, now: Date): Promise<number> {
  const marked = await trx.updateTable('messages').set({ read_at: now })
    .where('org_id', '=', orgId).where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound').where('read_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('calls as k').select('k.id')
      .whereRef('k.org_id', '=', 'messages.org_id').whereRef('k.message_id', '=', 'messages.id')
      .where('k.direction', '=', 'inbound').where('k.resolved_at', 'is', null).where('k.outcome', 'in', UNRESOLVED_OUTCOMES))))
    .returning('id').execute();
  if (marked.length > 0) {
    const left = await trx.selectFrom('conversations').select('unread_count').where('org_id', '=', orgId).where('id', '=', conversationId).executeTakeFirst();
    await recordInboxEvent(trx, orgId, 'conversation.read', conversationId, { markedRead: marked.length, unreadCount: left?.unread_count ?? 0, readByUserId: readBy.userId });
  }
  return marked.length;
}
