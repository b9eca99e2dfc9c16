/**
 * The conversation row of the inbox list (spec: messaging-inbox.txt, "Each
 * conversation row displays the customer name, a message preview, a
 * timestamp, and an unread badge" and the channel indicator; issue 5 item 1:
 * context badge, assignee, linked work order).
 *
 * One SELECT builds every row: the conversation with its customer, work
 * order and assignee joined, and the latest customer-facing message
 * (not system entries or notes, nor replies awaiting or refused approval)
 * as the preview, read from the thread index
 * backwards one row per conversation. The unread count is the
 * trigger-maintained `conversations.unread_count` (migration 0005), never
 * counted per row.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { windowState } from '../domain/whatsapp-window.js';
import { previewText } from '../domain/message-preview.js';
import type { ConversationRow } from './conversation-row.schema.js';

/** What the caller may see: `contactVisible` false redacts phone numbers (technicians, see src/auth/redaction.ts). */
export type Viewer = { contactVisible: boolean };

/** The row SELECT for one organisation; callers add WHERE, ORDER BY and LIMIT. */
export function conversationRowsQuery(trx: TenantTx, orgId: string) {
  return trx
    .selectFrom('conversations as c')
    .leftJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'c.customer_id').onRef('cu.org_id', '=', 'c.org_id'))
    .leftJoin('work_orders as w', (j) => j.onRef('w.id', '=', 'c.work_order_id').onRef('w.org_id', '=', 'c.org_id'))
    .leftJoin('staff_users as a', (j) => j.onRef('a.id', '=', 'c.assignee_id').onRef('a.org_id', '=', 'c.org_id'))
    .leftJoinLateral(
      (eb) => eb.selectFrom('messages as m')
        .select(['m.id as preview_id', 'm.body as preview_body', 'm.direction as preview_direction', 'm.channel as preview_channel',
          'm.content_type as preview_content_type', 'm.metadata as preview_metadata', 'm.occurred_at as preview_occurred_at',
          sql<string | null>`m.media->0->>'contentType'`.as('preview_media_type'), 'm.sender_user_id as preview_sender_id', 'm.ai_generated as preview_ai',
          sql<string | null>`(SELECT s.name FROM staff_users s WHERE s.org_id = m.org_id AND s.id = m.sender_user_id)`.as('preview_sender_name')])
        .whereRef('m.org_id', '=', 'c.org_id').whereRef('m.conversation_id', '=', 'c.id').where('m.direction', '<>', 'internal')
        .where(sql<boolean>`m.status IS DISTINCT FROM 'pending_approval' AND m.status IS DISTINCT FROM 'rejected'`)
        .orderBy('m.occurred_at', 'desc').orderBy('m.id', 'desc').limit(1)
        .as('p'),
      (j) => j.onTrue(),
    )
    .select([
      'c.id', 'c.customer_id', 'c.contact_phone', 'c.contact_name', 'c.last_channel', 'c.last_activity_at', 'c.unread_count',
      'c.assignee_id', 'c.work_order_id', 'c.needs_work_order_pick', 'c.context_badge', 'c.whatsapp_window_expires_at', 'c.ai_handoff_reason',
      'cu.name as customer_name', 'cu.phone as customer_phone', 'w.number as work_order_number', 'w.title as work_order_title',
      'a.name as assignee_name',
      'p.preview_id', 'p.preview_body', 'p.preview_direction', 'p.preview_channel', 'p.preview_content_type', 'p.preview_metadata', 'p.preview_occurred_at',
      'p.preview_media_type', 'p.preview_sender_id', 'p.preview_ai', 'p.preview_sender_name',
      // A detail every role may see that tells same-name customers apart: their first vehicle's registration.
      sql<string | null>`(SELECT v.registration FROM vehicles v WHERE v.org_id = c.org_id AND v.customer_id = c.customer_id ORDER BY v.created_at, v.id LIMIT 1)`.as('customer_registration'),
    ])
    .where('c.org_id', '=', orgId);
}

type RowQuery = ReturnType<typeof conversationRowsQuery>;
export type RawConversationRow = Awaited<ReturnType<RowQuery['executeTakeFirstOrThrow']>>;

/**
 * The name a row shows: the customer's name, else the sender's WhatsApp
 * profile name, else their phone number (when the viewer may see it), else
 * "Unknown sender".
 */
export function displayName(r: { customer_name: string | null; contact_name: string | null; contact_phone: string | null }, viewer: Viewer): string {
  return r.customer_name ?? r.contact_name ?? (viewer.contactVisible ? r.contact_phone : null) ?? 'Unknown sender';
}

/** @param now the instant the WhatsApp window state is judged at */
export function presentConversationRow(r: RawConversationRow, now: Date, viewer: Viewer): ConversationRow {
  return {
    id: r.id,
    displayName: displayName(r, viewer),
    customer: r.customer_id ? { id: r.customer_id, name: r.customer_name ?? '', phone: viewer.contactVisible ? r.customer_phone ?? null : null, registration: r.customer_registration ?? null } : null,
    contactPhone: viewer.contactVisible ? r.contact_phone : null,
    contactName: r.contact_name,
    lastChannel: r.last_channel,
    lastActivityAt: r.last_activity_at.toISOString(),
    unreadCount: r.unread_count,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    assigneeId: r.assignee_id,
    workOrder: r.work_order_id ? { id: r.work_order_id, number: r.work_order_number ?? '', title: r.work_order_title ?? '' } : null,
    needsWorkOrderPick: r.needs_work_order_pick,
    contextBadge: r.context_badge,
    aiHandoff: r.ai_handoff_reason ? { reason: r.ai_handoff_reason, label: 'AI handoff' } : null,
    whatsappWindow: { state: windowState(r.whatsapp_window_expires_at, now), expiresAt: r.whatsapp_window_expires_at?.toISOString() ?? null },
    preview: r.preview_id && r.preview_direction && r.preview_channel && r.preview_occurred_at
      ? {
        messageId: r.preview_id,
        body: previewText({ body: r.preview_body ?? '', channel: r.preview_channel, direction: r.preview_direction, contentType: r.preview_content_type ?? 'text', metadata: r.preview_metadata ?? {}, mediaType: r.preview_media_type }),
        direction: r.preview_direction,
        channel: r.preview_channel,
        contentType: r.preview_content_type ?? 'text',
        occurredAt: r.preview_occurred_at.toISOString(),
        sender: r.preview_direction !== 'outbound' ? null
          : r.preview_sender_id ? { kind: 'staff' as const, id: r.preview_sender_id, name: r.preview_sender_name ?? 'Staff' }
            : r.preview_ai ? { kind: 'ai' as const, id: null, name: 'AI' } : { kind: 'system' as const, id: null, name: null },
      }
      : null,
  };
}

/** Rows for the given conversation ids, in the order given (ids not found are skipped). */
export async function conversationRowsById(trx: TenantTx, orgId: string, ids: readonly string[], now: Date, viewer: Viewer): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  const rows = await conversationRowsQuery(trx, orgId).where('c.id', 'in', ids as string[]).execute();
  const byId = new Map(rows.map((r) => [r.id, presentConversationRow(r, now, viewer)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Keyset predicate: rows strictly after (older than) the cursor in newest-activity-first order. */
export const afterCursor = (at: Date, id: string) => sql<boolean>`(c.last_activity_at, c.id) < (${at}, ${id}::uuid)`;
