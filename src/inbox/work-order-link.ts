/**
 * Linking a conversation to a work order and unlinking it (spec:
 * messaging-inbox.txt, "Once linked, a system message appears in the thread
 * confirming the link"; "To unlink, select the unlink option in the
 * sidebar"). Each change adds a system entry to the thread, an event for the
 * real-time stream and a line in the staff audit log, in one transaction
 * with the conversation row locked, so concurrent changes apply one after
 * another and each is recorded once.
 */
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../auth/audit.js';
import type { TenantTx } from '../db/tenant.js';
import { recordInboxEvent } from '../realtime/record-event.js';
import { AppError } from '../server/errors.js';

export type WorkOrderRef = { id: string; number: string; title: string };

async function lockConversation(trx: TenantTx, orgId: string, conversationId: string) {
  const c = await trx.selectFrom('conversations').select(['id', 'work_order_id', 'customer_id']).where('org_id', '=', orgId).where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!c) throw new AppError('not_found', 'No such conversation in this organisation.');
  return c;
}

async function systemEntry(trx: TenantTx, orgId: string, conversationId: string, body: string, metadata: Record<string, unknown>, principal: Principal, now: Date): Promise<void> {
  await trx.insertInto('messages').values({
    org_id: orgId, conversation_id: conversationId, direction: 'internal', channel: 'internal', content_type: 'system',
    body, metadata: JSON.stringify(metadata), status: null, failure_reason: null, provider_error_code: null, provider: null,
    provider_message_id: null, cost: null, cost_currency: null, sender_user_id: principal.userId, notification_type: null,
    occurred_at: now, status_updated_at: null, read_at: null, media: '[]',
  }).execute();
}

/**
 * Link `workOrderId` (any work order of the organisation: staff may file an
 * unknown sender's thread under a customer's job). Clears the "pick a work
 * order" flag.
 * @returns changed false when it was already linked (nothing recorded)
 * @throws AppError not_found (conversation), validation_failed (work order not in this organisation)
 */
export async function linkWorkOrder(trx: TenantTx, orgId: string, conversationId: string, workOrderId: string, principal: Principal, now: Date): Promise<{ workOrder: WorkOrderRef; changed: boolean }> {
  const c = await lockConversation(trx, orgId, conversationId);
  const w = await trx.selectFrom('work_orders').select(['id', 'number', 'title']).where('org_id', '=', orgId).where('id', '=', workOrderId).executeTakeFirst();
  if (!w) throw new AppError('validation_failed', 'workOrderId is not a work order of this organisation.');
  if (c.work_order_id === w.id) return { workOrder: w, changed: false };
  await trx.updateTable('conversations').set({ work_order_id: w.id, needs_work_order_pick: false }).where('org_id', '=', orgId).where('id', '=', c.id).execute();
  await systemEntry(trx, orgId, c.id, `Linked to work order ${w.number}: ${w.title}`, { event: 'work_order.linked', workOrderId: w.id, previousWorkOrderId: c.work_order_id }, principal, now);
  await recordInboxEvent(trx, orgId, 'conversation.work_order', c.id, { action: 'linked', workOrder: w });
  await recordAudit(trx, principal, { action: 'conversation.work_order_linked', targetType: 'conversation', targetId: c.id, before: { workOrderId: c.work_order_id }, after: { workOrderId: w.id }, reason: null });
  return { workOrder: w, changed: true };
}

/**
 * Unlink the conversation's work order. The "pick a work order" flag is
 * set again when the customer has several active work orders (as inbound
 * routing sets it: src/domain/inbound-routing.ts).
 * @returns changed false when none was linked
 * @throws AppError not_found (conversation)
 */
export async function unlinkWorkOrder(trx: TenantTx, orgId: string, conversationId: string, principal: Principal, now: Date): Promise<{ changed: boolean }> {
  const c = await lockConversation(trx, orgId, conversationId);
  if (!c.work_order_id) return { changed: false };
  const w = await trx.selectFrom('work_orders').select(['id', 'number', 'title']).where('org_id', '=', orgId).where('id', '=', c.work_order_id).executeTakeFirstOrThrow();
  // With several active work orders the customer's messages cannot be filed automatically: the "pick a work order" prompt comes back.
  const active = c.customer_id
    ? await trx.selectFrom('work_orders').select('id').where('org_id', '=', orgId).where('customer_id', '=', c.customer_id).where('status', 'not in', ['completed', 'cancelled']).limit(2).execute()
    : [];
  await trx.updateTable('conversations').set({ work_order_id: null, needs_work_order_pick: active.length >= 2 }).where('org_id', '=', orgId).where('id', '=', c.id).execute();
  await systemEntry(trx, orgId, c.id, `Unlinked from work order ${w.number}`, { event: 'work_order.unlinked', workOrderId: w.id }, principal, now);
  await recordInboxEvent(trx, orgId, 'conversation.work_order', c.id, { action: 'unlinked', workOrder: w });
  await recordAudit(trx, principal, { action: 'conversation.work_order_unlinked', targetType: 'conversation', targetId: c.id, before: { workOrderId: w.id }, after: { workOrderId: null }, reason: null });
  return { changed: true };
}
