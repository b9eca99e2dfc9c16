/**
 * A message the customer writes in the portal: an inbound message on
 * channel `portal` in their conversation, stored exactly once per client
 * key (the unique (org, provider, provider message id) index; a retried
 * send inserts nothing). The triggers on `messages` do the rest, as for an
 * SMS: the unread count, the inbox's activity, and the `message.created`
 * event that shows it live in the staff inbox (spec: portal-messages.txt,
 * routing table: "Flagged as new in CRM").
 */
import { sql } from 'kysely';
import type { MediaItem } from '../db/schema.js';
import type { TenantTx } from '../db/tenant.js';

export type PortalMessageInput = { body: string; media: MediaItem[]; clientKey: string };

/** @returns the new message's id, or null when this client key was already stored (a retry) */
export async function recordPortalMessage(trx: TenantTx, orgId: string, conversationId: string, input: PortalMessageInput, now: Date): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await trx.insertInto('messages').values({
    org_id: orgId, conversation_id: conversationId, direction: 'inbound', channel: 'portal',
    content_type: input.media.length ? 'image' : 'text', body: input.body, media: JSON.stringify(input.media), metadata: '{}',
    status: null, failure_reason: null, provider_error_code: null, provider: 'portal', provider_message_id: input.clientKey,
    cost: null, cost_currency: null, sender_user_id: null, notification_type: null, occurred_at: now,
  }).onConflict((oc) => oc.columns(['org_id', 'provider', 'provider_message_id']).where('provider_message_id', 'is not', null).doNothing())
    .returning('id').executeTakeFirst();
  if (!inserted) {
    const existing = await trx.selectFrom('messages').select('id').where('org_id', '=', orgId).where('provider', '=', 'portal').where('provider_message_id', '=', input.clientKey).executeTakeFirstOrThrow();
    return { id: existing.id, duplicate: true };
  }
  await sql`
    UPDATE conversations SET last_channel = 'portal', last_inbound_at = greatest(last_inbound_at, ${now}), last_activity_at = greatest(last_activity_at, ${now})
    WHERE org_id = ${orgId} AND id = ${conversationId}
  `.execute(trx);
  return { id: inserted.id, duplicate: false };
}
