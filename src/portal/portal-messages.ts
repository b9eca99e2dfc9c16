/**
 * The customer's thread as the portal API shows it (rules:
 * src/domain/portal-thread.ts): pages oldest→newest with a cursor for
 * "Load earlier messages" (no cap: every message is kept, spec
 * portal-messages.txt "Message History"), one message by id, marking the
 * garage's messages read when the customer opens the thread, and the
 * unread badge. Run inside the customer's tenant transaction.
 */
import { sql } from 'kysely';
import { listMessages, type Cursor } from '../api/conversations/conversation.queries.js';
import type { Message } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';
import { channelLabel, customerMaySee, customerReceipt, portalSenderName, type CustomerReceipt } from '../domain/portal-thread.js';

export type PortalMessageView = {
  id: string;
  mine: boolean;
  senderName: string;
  channel: string;
  channelLabel: string;
  contentType: string;
  body: string;
  /** Photos: stored ones with their portal URLs; others say they are not (yet) available. */
  media: Array<{ contentType: string; state: 'stored' | 'pending' | 'unavailable'; url: string | null; thumbnailUrl: string | null }>;
  occurredAt: string;
  receipt: CustomerReceipt;
  /** When the garage read it (own messages) or the customer did (garage messages); ISO-8601 UTC. */
  readAt: string | null;
};

type Row = Message & { sender_user_name: string | null };

export function presentPortalMessage(m: Row, orgName: string): PortalMessageView {
  const mine = m.direction === 'inbound';
  const readAt = mine ? m.read_at : customerReceipt({ direction: m.direction, channel: m.channel, status: m.status, readAt: null }) === 'read' ? (m.status_updated_at ?? m.portal_read_at) : null;
  return {
    id: m.id,
    mine,
    senderName: portalSenderName({ direction: m.direction, aiGenerated: m.ai_generated, senderUserName: m.sender_user_name }, orgName),
    channel: m.channel,
    channelLabel: channelLabel(m.channel),
    contentType: m.content_type,
    body: m.body,
    media: m.media.map((item) => {
      const stored = item.state === 'stored' && item.mediaId;
      return {
        contentType: item.contentType,
        state: stored ? 'stored' : item.state === 'pending' ? 'pending' : 'unavailable',
        url: stored ? `/portal/api/media/${item.mediaId}` : null,
        thumbnailUrl: stored ? `/portal/api/media/${item.mediaId}${item.thumbnail ? '/thumbnail' : ''}` : null,
      };
    }),
    occurredAt: m.occurred_at.toISOString(),
    receipt: customerReceipt({ direction: m.direction, channel: m.channel, status: m.status, readAt: m.read_at }),
    readAt: readAt ? readAt.toISOString() : null,
  };
}

export async function portalThreadPage(trx: TenantTx, orgId: string, conversationId: string, orgName: string, limit: number, before: Cursor | null) {
  const page = await listMessages(trx, orgId, conversationId, limit, before, 'customer');
  return { messages: page.messages.map((m) => presentPortalMessage(m, orgName)), earlierCursor: page.earlierCursor };
}

/** One message of the customer's conversation, or null when it is not theirs to see. */
export async function portalMessage(trx: TenantTx, orgId: string, conversationId: string, messageId: string, orgName: string): Promise<PortalMessageView | null> {
  const m = await trx.selectFrom('messages as m')
    .leftJoin('staff_users as s', (j) => j.onRef('s.id', '=', 'm.sender_user_id').onRef('s.org_id', '=', 'm.org_id'))
    .selectAll('m').select('s.name as sender_user_name')
    .where('m.org_id', '=', orgId).where('m.conversation_id', '=', conversationId).where('m.id', '=', messageId)
    .executeTakeFirst();
  return m && customerMaySee(m) ? presentPortalMessage(m, orgName) : null;
}

/** Garage messages the customer has not seen in the portal (the badge). */
export async function portalUnreadCount(trx: TenantTx, orgId: string, conversationId: string): Promise<number> {
  const row = await trx.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId).where('conversation_id', '=', conversationId).where('direction', '=', 'outbound')
    .where('portal_read_at', 'is', null).where(sql<boolean>`status IS DISTINCT FROM 'pending_approval' AND status IS DISTINCT FROM 'rejected'`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The customer opened the thread: every garage message they may see is
 * seen; portal messages delivered to them become `read` (staff see it: the
 * status trigger emits `message.status`). Other channels keep their own
 * status (SMS has no read state; WhatsApp reports its own).
 * @returns how many messages changed
 */
export async function markSeenByCustomer(trx: TenantTx, orgId: string, conversationId: string, now: Date): Promise<number> {
  const changed = await sql<{ id: string }>`
    UPDATE messages SET
      portal_read_at = coalesce(portal_read_at, ${now}),
      status = CASE WHEN channel = 'portal' AND status IN ('sent', 'delivered') THEN 'read' ELSE status END,
      status_updated_at = CASE WHEN channel = 'portal' AND status IN ('sent', 'delivered') THEN ${now} ELSE status_updated_at END
    WHERE org_id = ${orgId} AND conversation_id = ${conversationId} AND direction = 'outbound'
      AND status IS DISTINCT FROM 'pending_approval' AND status IS DISTINCT FROM 'rejected'
      AND (portal_read_at IS NULL OR (channel = 'portal' AND status IN ('sent', 'delivered')))
    RETURNING id
  `.execute(trx);
  return changed.rows.length;
}
