/**
 * Stores one inbound customer message in its organisation's conversation
 * with that customer, exactly once.
 *
 * Exactly once rests on two unique indexes, never on check-then-insert:
 * - one conversation per customer (or per unknown phone number) per
 *   organisation: concurrent webhooks from a new sender upsert the same row
 *   (`INSERT … ON CONFLICT DO UPDATE`, which also locks it to the commit);
 * - one message per (organisation, provider, provider message id): a retried
 *   or concurrent duplicate inserts nothing (`ON CONFLICT DO NOTHING`) and
 *   reports `duplicate: true` (the conversation upsert before it still runs;
 *   its update only moves times forward and fills blanks).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { Channel, MediaItem } from '../db/schema.js';
import { routeInbound } from '../domain/inbound-routing.js';
import { windowExpiresAt } from '../domain/whatsapp-window.js';

export type InboundMessage = {
  channel: Extract<Channel, 'sms' | 'whatsapp' | 'voice'>;
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
 *
 * Two statements, both calls of plpgsql functions from
 * src/db/migrations/0004-ingest-functions.ts (SECURITY INVOKER, so they run
 * as `torqueflow_app` under row-level security like any other tenant query;
 * PL/pgSQL keeps their statements' plans for the session, so nothing is
 * planned per message): `ingest_find_sender` reads the sender's customer and
 * up to two active work orders in one snapshot; the pure rule
 * `routeInbound` (src/domain/inbound-routing.ts) decides the link here, in
 * TypeScript; `ingest_record_inbound` upserts the conversation and inserts
 * the message with the two unique indexes above deciding, never a check.
 * @param orgId the organisation `trx` was entered for (RLS checks it again)
 */
export async function recordInbound(trx: TenantTx, orgId: string, msg: InboundMessage): Promise<RecordedInbound> {
  const found = await sql<{ customer_id: string | null; work_order_ids: string[] | null }>`
    SELECT customer_id, work_order_ids FROM ingest_find_sender(${orgId}::uuid, ${msg.from}::text)
  `.execute(trx);
  const customerId = found.rows[0]?.customer_id ?? null;

  const routing = routeInbound(customerId !== null, found.rows[0]?.work_order_ids ?? [], msg.body);
  const windowExpiry = msg.channel === 'whatsapp' && msg.providerClock ? windowExpiresAt(msg.occurredAt) : null;

  const written = await sql<{ conversation_id: string; message_id: string | null }>`
    SELECT conversation_id, message_id FROM ingest_record_inbound(
      ${orgId}::uuid, ${customerId}::uuid, ${customerId ? null : msg.from}::text, ${msg.contactName}::text,
      ${msg.channel}::text, ${msg.occurredAt}::timestamptz, ${routing.workOrderId}::uuid,
      ${routing.needsWorkOrderPick}::boolean, ${routing.contextBadge}::text, ${windowExpiry}::timestamptz,
      ${msg.contentType}::text, ${msg.body}::text, ${JSON.stringify(msg.media)}::jsonb,
      ${JSON.stringify(msg.metadata)}::jsonb, ${msg.provider}::text, ${msg.providerMessageId}::text
    )
  `.execute(trx);
  const row = written.rows[0]!;
  return { conversationId: row.conversation_id, customerId, messageId: row.message_id, duplicate: row.message_id === null };
}
