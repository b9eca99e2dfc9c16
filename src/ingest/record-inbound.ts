/**
 * Stores one inbound customer message in its organisation's conversation
 * with that customer, exactly once.
 *
 * Exactly once rests on two unique indexes, never on check-then-insert:
 * - one conversation per customer (or per unknown phone number) per
 *   organisation: concurrent webhooks from a new sender upsert the same row;
 * - one message per (organisation, provider, provider message id): a retried
 *   or concurrent duplicate inserts nothing and reports `duplicate: true`.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { Channel, MediaItem } from '../db/schema.js';
import { routeInbound } from '../domain/inbound-routing.js';
import { windowExpiresAt } from '../domain/whatsapp-window.js';

export type InboundMessage = {
  channel: Extract<Channel, 'sms' | 'whatsapp'>;
  provider: 'twilio' | 'whatsapp';
  providerMessageId: string;
  /** Sender in E.164. */
  from: string;
  /** Sender's profile name, when the provider gives one (WhatsApp). */
  contactName: string | null;
  contentType: string;
  body: string;
  media: MediaItem[];
  metadata: Record<string, unknown>;
  /** When the customer sent it: the provider's own timestamp where it gives one. */
  occurredAt: Date;
  /** True when `occurredAt` is the provider's clock, so it may (re)open the WhatsApp window. */
  providerClock: boolean;
};

export type RecordedInbound = { conversationId: string; customerId: string | null; messageId: string | null; duplicate: boolean };

/**
 * Record `msg` for the organisation the transaction is scoped to.
 * @param orgId the organisation `trx` was entered for (RLS checks it again)
 */
export async function recordInbound(trx: TenantTx, orgId: string, msg: InboundMessage): Promise<RecordedInbound> {
  const customer = await trx
    .selectFrom('customers')
    .select('id')
    .where('org_id', '=', orgId)
    .where('phone', '=', msg.from)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();

  const activeWorkOrders = customer
    ? await trx
        .selectFrom('work_orders')
        .select('id')
        .where('org_id', '=', orgId)
        .where('customer_id', '=', customer.id)
        .where('status', 'not in', ['completed', 'cancelled'])
        .orderBy('created_at')
        .limit(2)
        .execute()
    : [];

  const routing = routeInbound(Boolean(customer), activeWorkOrders.map((w) => w.id), msg.body);
  const windowExpiry = msg.channel === 'whatsapp' && msg.providerClock ? windowExpiresAt(msg.occurredAt) : null;
  const conflictTarget = customer
    ? sql`(org_id, customer_id) WHERE customer_id IS NOT NULL`
    : sql`(org_id, contact_phone) WHERE customer_id IS NULL`;

  const conversation = await sql<{ id: string }>`
    INSERT INTO conversations AS c (
      org_id, customer_id, contact_phone, contact_name, last_channel, last_inbound_at, last_activity_at,
      work_order_id, needs_work_order_pick, context_badge, whatsapp_window_expires_at
    ) VALUES (
      ${orgId}, ${customer?.id ?? null}, ${customer ? null : msg.from}, ${msg.contactName}, ${msg.channel},
      ${msg.occurredAt}, ${msg.occurredAt}, ${routing.workOrderId}, ${routing.needsWorkOrderPick},
      ${routing.contextBadge}, ${windowExpiry}
    )
    ON CONFLICT ${conflictTarget} DO UPDATE SET
      contact_name = coalesce(EXCLUDED.contact_name, c.contact_name),
      last_channel = CASE WHEN c.last_inbound_at IS NULL OR EXCLUDED.last_inbound_at >= c.last_inbound_at
                          THEN EXCLUDED.last_channel ELSE c.last_channel END,
      last_inbound_at = greatest(c.last_inbound_at, EXCLUDED.last_inbound_at),
      last_activity_at = greatest(c.last_activity_at, EXCLUDED.last_activity_at),
      work_order_id = coalesce(c.work_order_id, EXCLUDED.work_order_id),
      needs_work_order_pick = coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                              AND (c.needs_work_order_pick OR EXCLUDED.needs_work_order_pick),
      context_badge = CASE WHEN coalesce(c.work_order_id, EXCLUDED.work_order_id) IS NULL
                           THEN coalesce(c.context_badge, EXCLUDED.context_badge) END,
      whatsapp_window_expires_at = greatest(c.whatsapp_window_expires_at, EXCLUDED.whatsapp_window_expires_at)
    RETURNING id
  `.execute(trx);
  const conversationId = conversation.rows[0]!.id;

  const inserted = await trx
    .insertInto('messages')
    .values({
      org_id: orgId,
      conversation_id: conversationId,
      direction: 'inbound',
      channel: msg.channel,
      content_type: msg.contentType,
      body: msg.body,
      media: JSON.stringify(msg.media),
      metadata: JSON.stringify(msg.metadata),
      status: null,
      failure_reason: null,
      provider_error_code: null,
      provider: msg.provider,
      provider_message_id: msg.providerMessageId,
      cost: null,
      cost_currency: null,
      sender_user_id: null,
      notification_type: null,
      occurred_at: msg.occurredAt,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'provider', 'provider_message_id']).where('provider_message_id', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();

  return { conversationId, customerId: customer?.id ?? null, messageId: inserted?.id ?? null, duplicate: !inserted };
}
