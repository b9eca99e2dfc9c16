/**
 * Prices the demo garage's seeded history from the price table, as the
 * sandbox prices new sends, so the Spend page shows realistic numbers from
 * the first start (SMS per segment; WhatsApp templates by category; free-form
 * WhatsApp in the window is a free service message).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { tablePrice, type PriceTable, type WhatsAppPricingCategory } from '../domain/message-prices.js';

export async function priceDemoHistory(trx: Transaction<Database>, orgId: string, table: PriceTable): Promise<void> {
  const rows = await trx.selectFrom('messages as m').leftJoin('message_templates as t', (j) => j.onRef('t.org_id', '=', 'm.org_id').onRef('t.id', '=', 'm.template_id'))
    .select(['m.id', 'm.channel', 'm.body', 't.category']).where('m.org_id', '=', orgId).where('m.direction', '=', 'outbound').where('m.cost', 'is', null)
    .where('m.channel', 'in', ['sms', 'whatsapp']).where('m.status', 'in', ['sent', 'delivered', 'read']).execute();
  for (const m of rows) {
    const cost = tablePrice({ channel: m.channel, body: m.body, whatsappCategory: m.category ? m.category.toLowerCase() as WhatsAppPricingCategory : 'service' }, table);
    if (cost) await trx.updateTable('messages').set({ cost: cost.amount, cost_currency: cost.currency }).where('org_id', '=', orgId).where('id', '=', m.id).execute();
  }
}
