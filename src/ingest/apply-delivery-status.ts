/**
 * Applies one provider delivery-status callback to the outbound message it
 * names. Every callback is first recorded in `message_status_events`
 * (unique per message and provider status, so a retried callback is a
 * no-op); a callback for a message not stored yet stays recorded there.
 * The message row is locked while the forward-only rule picks the status.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { DeliveryStatus } from '../db/schema.js';
import { isDeliveryStatus, nextDeliveryStatus } from '../domain/delivery-status.js';

export type DeliveryStatusEvent = {
  provider: 'twilio' | 'whatsapp' | 'sandbox';
  providerMessageId: string;
  /** The provider's own status word (`undelivered`, `read` …), kept for dedup and audit. */
  providerStatus: string;
  status: DeliveryStatus;
  errorCode: string | null;
  /** Our human reason for the error code, shown to staff when the status is failed (src/domain/provider-failure.ts). */
  failureReason: string | null;
  /** The provider's own error text, which may quote the recipient: `customers.contact.view` only. */
  providerErrorText: string | null;
  occurredAt: Date | null;
  /** Price in major units of `costCurrency` as an exact decimal string, when the provider gives it. */
  cost: string | null;
  costCurrency: string | null;
  pricing: Record<string, unknown> | null;
};

export type AppliedStatus = { outcome: 'duplicate' | 'applied' | 'superseded' | 'message_not_found'; messageId: string | null };

/**
 * Serialise, until the transaction ends, everything that concerns one
 * provider message id: a status callback, and the worker storing that id
 * with the callbacks that arrived before it. Without it a callback landing
 * between the worker's read of early callbacks and its commit would find no
 * message and be applied to nothing.
 */
export async function lockProviderMessage(trx: TenantTx, orgId: string, provider: string, providerMessageId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${orgId}:${provider}:${providerMessageId}`}, 0))`.execute(trx);
}

/** Record `ev` and move the message's status forward if it ranks higher. */
export async function applyDeliveryStatus(trx: TenantTx, orgId: string, ev: DeliveryStatusEvent): Promise<AppliedStatus> {
  await lockProviderMessage(trx, orgId, ev.provider, ev.providerMessageId);
  const recorded = await trx
    .insertInto('message_status_events')
    .values({
      org_id: orgId,
      provider: ev.provider,
      provider_message_id: ev.providerMessageId,
      status: ev.status,
      provider_status: ev.providerStatus,
      error_code: ev.errorCode,
      error_title: ev.failureReason,
      error_text: ev.providerErrorText,
      occurred_at: ev.occurredAt,
    })
    .onConflict((oc) => oc.columns(['org_id', 'provider', 'provider_message_id', 'provider_status']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!recorded) return { outcome: 'duplicate', messageId: null };

  const message = await trx
    .selectFrom('messages')
    .select(['id', 'status', 'cost'])
    .where('org_id', '=', orgId)
    .where('provider', '=', ev.provider)
    .where('provider_message_id', '=', ev.providerMessageId)
    .where('direction', '=', 'outbound')
    .forUpdate()
    .executeTakeFirst();
  if (!message?.status || !isDeliveryStatus(message.status)) return { outcome: 'message_not_found', messageId: null };

  const next = nextDeliveryStatus(message.status, ev.status);
  const advanced = next !== message.status;
  const costKnown = ev.cost !== null && ev.costCurrency !== null && message.cost === null;
  if (!advanced && !costKnown && !ev.pricing) return { outcome: 'superseded', messageId: message.id };

  await trx
    .updateTable('messages')
    .set({
      ...(advanced ? { status: next, status_updated_at: new Date() } : {}),
      ...(advanced && next === 'failed' ? { failure_reason: ev.failureReason, provider_error_code: ev.errorCode, provider_error_text: ev.providerErrorText } : {}),
      ...(costKnown ? { cost: ev.cost, cost_currency: ev.costCurrency } : {}),
      ...(ev.pricing ? { pricing: JSON.stringify(ev.pricing) } : {}),
    })
    .where('org_id', '=', orgId)
    .where('id', '=', message.id)
    .execute();
  return { outcome: advanced ? 'applied' : 'superseded', messageId: message.id };
}
