/**
 * Reads one conversation's prompt inputs for the context builder
 * (src/domain/ai-context.ts): the customer's vehicles and active work orders
 * and the conversation's latest entries. Every query is keyed by this
 * conversation or its customer, inside the organisation's tenant
 * transaction: nothing about any other customer can reach the prompt.
 */
import type { TenantTx } from '../db/tenant.js';
import type { Conversation } from '../db/schema.js';
import { buildAiContext, type AiPrompt, type HistoryEntry } from '../domain/ai-context.js';
import { callDetails } from '../domain/message-preview.js';

/** Entries read before the token budget trims them. */
const HISTORY_ROWS = 200;

function callSummary(metadata: Record<string, unknown>): string | null {
  const call = metadata.call as Record<string, unknown> | undefined;
  const summary = call?.transcriptSummary ?? call?.summary ?? metadata.transcriptSummary;
  return typeof summary === 'string' ? summary : null;
}

export async function loadAiPrompt(trx: TenantTx, orgId: string, conversation: Conversation, garage: { name: string; openingHours: string; instructions: string }, tokenBudget: number, now: Date): Promise<AiPrompt> {
  const customerId = conversation.customer_id;
  const customer = customerId ? await trx.selectFrom('customers').select('name').where('org_id', '=', orgId).where('id', '=', customerId).executeTakeFirst() : undefined;
  const vehicles = customerId
    ? await trx.selectFrom('vehicles').select(['registration', 'make', 'model']).where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at').execute()
    : [];
  const workOrders = customerId
    ? await trx.selectFrom('work_orders').leftJoin('vehicles', (j) => j.onRef('vehicles.org_id', '=', 'work_orders.org_id').onRef('vehicles.id', '=', 'work_orders.vehicle_id'))
      .select(['work_orders.number', 'work_orders.title', 'work_orders.status', 'vehicles.registration'])
      .where('work_orders.org_id', '=', orgId).where('work_orders.customer_id', '=', customerId)
      .where('work_orders.status', 'not in', ['completed', 'cancelled']).orderBy('work_orders.created_at').execute()
    : [];
  const rows = await trx.selectFrom('messages').select(['channel', 'direction', 'ai_generated', 'body', 'metadata', 'occurred_at', 'status'])
    .where('org_id', '=', orgId).where('conversation_id', '=', conversation.id).where('direction', '<>', 'internal')
    .where((eb) => eb.or([eb('status', 'is', null), eb('status', 'not in', ['pending_approval', 'rejected'])]))
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(HISTORY_ROWS).execute();
  const history: HistoryEntry[] = rows.reverse().map((m) => {
    const call = m.channel === 'voice' ? callDetails(m.metadata) : null;
    return {
      channel: m.channel,
      direction: m.direction,
      aiGenerated: m.ai_generated,
      body: m.body,
      call: call?.outcome ? { outcome: call.outcome, durationSeconds: call.durationSeconds ?? 0, summary: callSummary(m.metadata) } : null,
      occurredAt: m.occurred_at,
    };
  });
  return buildAiContext({
    garage,
    customer: customer ? { name: customer.name } : null,
    vehicles,
    workOrders: workOrders.map((w) => ({ number: w.number, title: w.title, status: w.status, vehicleRegistration: w.registration ?? null })),
    history,
    tokenBudget,
    now,
  });
}
