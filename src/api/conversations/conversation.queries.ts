/**
 * Reads conversations and their messages for one organisation, inside a
 * tenant transaction (RLS applies; the explicit org filters keep plans on
 * the org-leading indexes).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../../db/tenant.js';
import { windowState } from '../../domain/whatsapp-window.js';
import { iso, type ConversationView, type MessageView } from './conversation.presenter.js';
import { presentMessage } from '../messages/message.presenter.js';

function conversationQuery(trx: TenantTx, orgId: string) {
  return trx
    .selectFrom('conversations as c')
    .leftJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'c.customer_id').onRef('cu.org_id', '=', 'c.org_id'))
    .leftJoin('work_orders as w', (j) => j.onRef('w.id', '=', 'c.work_order_id').onRef('w.org_id', '=', 'c.org_id'))
    .select((eb) => [
      'c.id', 'c.customer_id', 'c.contact_phone', 'c.contact_name', 'c.last_channel', 'c.last_activity_at',
      'c.assignee_id', 'c.work_order_id', 'c.needs_work_order_pick', 'c.context_badge', 'c.whatsapp_window_expires_at',
      'cu.name as customer_name', 'cu.phone as customer_phone', 'w.number as work_order_number', 'w.title as work_order_title',
      eb.selectFrom('messages as m').whereRef('m.org_id', '=', 'c.org_id').whereRef('m.conversation_id', '=', 'c.id')
        .select((e) => e.fn.countAll<number>().as('n')).as('message_count'),
      eb.selectFrom('messages as m').whereRef('m.org_id', '=', 'c.org_id').whereRef('m.conversation_id', '=', 'c.id')
        .where('m.direction', '=', 'inbound').where('m.read_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n')).as('unread_count'),
    ])
    .where('c.org_id', '=', orgId);
}

type Row = Awaited<ReturnType<ReturnType<typeof conversationQuery>['executeTakeFirstOrThrow']>>;

/** @param contactVisible false redacts the customer's and sender's phone numbers (technicians) */
function present(r: Row, now: Date, contactVisible: boolean): ConversationView {
  return {
    id: r.id,
    customer: r.customer_id ? { id: r.customer_id, name: r.customer_name ?? '', phone: contactVisible ? r.customer_phone ?? null : null } : null,
    contactPhone: contactVisible ? r.contact_phone : null,
    contactName: r.contact_name,
    lastChannel: r.last_channel,
    lastActivityAt: r.last_activity_at.toISOString(),
    assigneeId: r.assignee_id,
    workOrder: r.work_order_id ? { id: r.work_order_id, number: r.work_order_number ?? '', title: r.work_order_title ?? '' } : null,
    needsWorkOrderPick: r.needs_work_order_pick,
    contextBadge: r.context_badge,
    whatsappWindow: { state: windowState(r.whatsapp_window_expires_at, now), expiresAt: iso(r.whatsapp_window_expires_at) },
    messageCount: Number(r.message_count ?? 0),
    unreadCount: Number(r.unread_count ?? 0),
  };
}

export type Cursor = { at: Date; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

/** @returns null when `raw` is not a cursor this API issued */
export function decodeCursor(raw: string): Cursor | null {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return { at: date, id };
}

/** Newest activity first, keyset-paginated on (last_activity_at, id) with a row comparison the index serves. */
export async function listConversations(trx: TenantTx, orgId: string, limit: number, after: Cursor | null, now: Date, contactVisible: boolean) {
  let q = conversationQuery(trx, orgId).orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1);
  if (after) q = q.where(sql<boolean>`(c.last_activity_at, c.id) < (${after.at}, ${after.id}::uuid)`);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map((r) => present(r, now, contactVisible)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.last_activity_at, id: last.id }) : null,
  };
}

export async function getConversation(trx: TenantTx, orgId: string, id: string, now: Date, contactVisible: boolean): Promise<ConversationView | null> {
  const row = await conversationQuery(trx, orgId).where('c.id', '=', id).executeTakeFirst();
  return row ? present(row, now, contactVisible) : null;
}

/** Messages in chronological order; `before` pages back to earlier ones. */
export async function listMessages(trx: TenantTx, orgId: string, conversationId: string, limit: number, before: Cursor | null) {
  let q = trx
    .selectFrom('messages')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('conversation_id', '=', conversationId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before) q = q.where(sql<boolean>`(occurred_at, id) < (${before.at}, ${before.id}::uuid)`);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const earliest = page[page.length - 1];
  const messages: MessageView[] = page.reverse().map(presentMessage);
  return {
    messages,
    earlierCursor: rows.length > limit && earliest ? encodeCursor({ at: earliest.occurred_at, id: earliest.id }) : null,
  };
}
