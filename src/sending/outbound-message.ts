/**
 * Writes outbound messages: one insert that also moves the conversation's
 * last activity, so the inbox shows the reply at once.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { MediaItem, Message, MessageCategory, MessageStatus } from '../db/schema.js';
import type { ReplyChannel } from './send-context.js';

/**
 * Who a message is from: a staff user, an integration (the API token that
 * sent it, shown by its name; never a staff member), the AI, or the system
 * itself (bridge, reminders).
 */
export type Sender = { type: 'staff'; userId: string | null } | { type: 'integration'; tokenId: string } | { type: 'ai' } | { type: 'system' };

export type NewOutbound = {
  conversationId: string;
  channel: ReplyChannel;
  body: string;
  sender: Sender;
  status: MessageStatus;
  category: MessageCategory;
  failureReason?: string | null;
  notificationType?: string | null;
  templateId?: string | null;
  templateParams?: Record<string, string> | null;
  metadata?: Record<string, unknown>;
  /** Attached photos (staff attachments), as `messages.media`. */
  media?: MediaItem[];
};

/**
 * Write a composed message: a new row, or (`draftId`) the draft that was
 * awaiting approval, keeping its id, author and creation time.
 */
export async function writeOutbound(trx: TenantTx, orgId: string, m: NewOutbound, now: Date, draftId: string | null): Promise<Message> {
  if (!draftId) return insertOutbound(trx, orgId, m, now);
  const message = await trx.updateTable('messages').set(composedColumns(m, now))
    .where('org_id', '=', orgId).where('id', '=', draftId).returningAll().executeTakeFirstOrThrow();
  await touchConversation(trx, orgId, m.conversationId, now);
  return message;
}

/** The columns a composed message sets, whether it is new or a draft being approved. */
function composedColumns(m: NewOutbound, now: Date) {
  return {
    channel: m.channel,
    body: m.body,
    metadata: JSON.stringify(m.metadata ?? {}),
    status: m.status,
    failure_reason: m.failureReason ?? null,
    notification_type: m.notificationType ?? null,
    template_id: m.templateId ?? null,
    template_params: m.templateParams ? JSON.stringify(m.templateParams) : null,
    consent_category: m.category,
    occurred_at: now,
    status_updated_at: now,
  };
}

/** Move the conversation's last activity forward to `at` (never back). */
async function touchConversation(trx: TenantTx, orgId: string, conversationId: string, at: Date): Promise<void> {
  await sql`UPDATE conversations SET last_activity_at = greatest(last_activity_at, ${at}) WHERE org_id = ${orgId} AND id = ${conversationId}`.execute(trx);
}

export async function insertOutbound(trx: TenantTx, orgId: string, m: NewOutbound, now: Date): Promise<Message> {
  const message = await trx.insertInto('messages').values({
    org_id: orgId,
    conversation_id: m.conversationId,
    direction: 'outbound',
    ...composedColumns(m, now),
    media: JSON.stringify(m.media ?? []),
    provider_error_code: null,
    provider: null,
    provider_message_id: null,
    cost: null,
    cost_currency: null,
    ai_generated: m.sender.type === 'ai',
    sender_user_id: m.sender.type === 'staff' ? m.sender.userId : null,
    sender_token_id: m.sender.type === 'integration' ? m.sender.tokenId : null,
  }).returningAll().executeTakeFirstOrThrow();
  await touchConversation(trx, orgId, m.conversationId, now);
  return message;
}
