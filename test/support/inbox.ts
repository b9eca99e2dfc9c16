/**
 * Conversations with a history at chosen times, written as the application
 * writes them (inside the organisation's tenant transaction, so row-level
 * security and the inbox triggers of migration 0005 apply).
 */
import type { Kysely } from 'kysely';
import type { Channel, Database, MessageStatus } from '../../src/db/schema.js';
import { withTenant } from '../../src/db/tenant.js';

export type Entry = {
  direction: 'inbound' | 'outbound';
  at: Date;
  body?: string;
  channel?: Channel;
  /** Inbound only: already read. */
  read?: boolean;
  /** Outbound only; default 'delivered'. */
  status?: MessageStatus;
  contentType?: string;
  metadata?: Record<string, unknown>;
};

/**
 * A conversation with `entries` (any order); the conversation's latest
 * activity and last channel follow the newest entry.
 * @returns the conversation id and the message ids in the order given
 */
export async function seedConversation(
  db: Kysely<Database>,
  orgId: string,
  opts: { customerId?: string; contactPhone?: string; contactName?: string; assigneeId?: string; workOrderId?: string; needsWorkOrderPick?: boolean; windowExpiresAt?: Date | null; entries: Entry[] },
): Promise<{ id: string; messageIds: string[] }> {
  return withTenant(db, orgId, async (trx) => {
    const newest = opts.entries.reduce((a, e) => (e.at > a.at ? e : a), opts.entries[0]!);
    const c = await trx.insertInto('conversations').values({
      org_id: orgId,
      customer_id: opts.customerId ?? null,
      contact_phone: opts.customerId ? null : opts.contactPhone ?? null,
      contact_name: opts.contactName ?? null,
      last_channel: newest.channel ?? 'sms',
      last_activity_at: newest.at,
      assignee_id: opts.assigneeId ?? null,
      work_order_id: opts.workOrderId ?? null,
      needs_work_order_pick: opts.needsWorkOrderPick ?? false,
      context_badge: null,
      whatsapp_window_expires_at: opts.windowExpiresAt ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    const messageIds: string[] = [];
    for (const e of opts.entries) {
      const m = await trx.insertInto('messages').values({
        org_id: orgId,
        conversation_id: c.id,
        direction: e.direction,
        channel: e.channel ?? 'sms',
        content_type: e.contentType ?? 'text',
        body: e.body ?? `${e.direction} at ${e.at.toISOString()}`,
        media: '[]',
        metadata: JSON.stringify(e.metadata ?? {}),
        status: e.direction === 'outbound' ? e.status ?? 'delivered' : null,
        failure_reason: null,
        provider_error_code: null,
        provider: null,
        provider_message_id: null,
        cost: null,
        cost_currency: null,
        sender_user_id: null,
        notification_type: null,
        occurred_at: e.at,
        status_updated_at: e.direction === 'outbound' ? e.at : null,
        read_at: e.direction === 'inbound' && e.read ? e.at : null,
      }).returning('id').executeTakeFirstOrThrow();
      messageIds.push(m.id);
    }
    return { id: c.id, messageIds };
  });
}

/** A status change on an outbound message at `at`, as a provider callback would make it. */
export async function changeStatus(db: Kysely<Database>, orgId: string, messageId: string, status: MessageStatus, at: Date): Promise<void> {
  await withTenant(db, orgId, (trx) => trx.updateTable('messages').set({ status, status_updated_at: at }).where('org_id', '=', orgId).where('id', '=', messageId).execute());
}

/** Set the organisation's time zone (IANA name). */
export async function setTimeZone(db: Kysely<Database>, orgId: string, timeZone: string): Promise<void> {
  await db.updateTable('organisations').set({ time_zone: timeZone }).where('id', '=', orgId).execute();
}

export const DAY_MS = 86_400_000;
export const daysAgo = (n: number, from = Date.now()) => new Date(from - n * DAY_MS);
