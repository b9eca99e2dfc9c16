/**
 * The demo garage's recent history: for the first 40 customers a customer
 * message (SMS or WhatsApp, some inside the 24-hour window and some outside
 * it) and three replies from the garage that are still awaiting delivery
 * callbacks, so a replayed garage day has callbacks to deliver.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { recordInbound } from '../ingest/record-inbound.js';
import { demoCustomer } from './demo-data.js';

const CONVERSATIONS = 40;
const REPLIES_PER_CONVERSATION = 3;
const HOUR = 3_600_000;
const CUSTOMER_LINES = ['Hi, is my car ready yet?', 'Can I book an MOT for next week?', 'What time do you close today?', 'Thanks, see you at 9', 'Is the quote still valid?'];
const GARAGE_LINES = ['Morning! Your car is booked in for today.', 'The technician has started work on it.', "All done: it's ready to collect from 4pm."];

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export async function seedHistory(trx: TenantTx, orgId: string, customerIds: string[]): Promise<{ conversations: number; messages: number }> {
  const now = Date.now();
  let messages = 0;
  for (let i = 0; i < Math.min(CONVERSATIONS, customerIds.length); i++) {
    const c = demoCustomer(i);
    const whatsapp = i % 2 === 0;
    // Every fourth conversation's last customer message is 30 h old: its WhatsApp window has expired.
    const customerAt = new Date(now - (i % 4 === 0 ? 30 : 1 + (i % 9)) * HOUR);
    const { conversationId } = await recordInbound(trx, orgId, {
      channel: whatsapp ? 'whatsapp' : 'sms',
      provider: whatsapp ? 'whatsapp' : 'twilio',
      providerMessageId: whatsapp ? `wamid.DEMO${hex(`in-${i}`)}` : `SM${hex(`in-${i}`)}`,
      from: c.phone,
      contactName: whatsapp ? c.name : null,
      contentType: 'text',
      body: CUSTOMER_LINES[i % CUSTOMER_LINES.length]!,
      media: [],
      metadata: {},
      occurredAt: customerAt,
      providerClock: true,
    });
    messages++;
    for (let r = 0; r < REPLIES_PER_CONVERSATION; r++) {
      const at = new Date(customerAt.getTime() + (r + 1) * 10 * 60_000);
      await trx.insertInto('messages').values({
        org_id: orgId,
        conversation_id: conversationId,
        direction: 'outbound',
        channel: whatsapp ? 'whatsapp' : 'sms',
        body: GARAGE_LINES[r]!,
        media: '[]',
        metadata: '{}',
        status: 'sent',
        failure_reason: null,
        provider_error_code: null,
        provider: whatsapp ? 'whatsapp' : 'twilio',
        provider_message_id: whatsapp ? `wamid.DEMO${hex(`out-${i}-${r}`)}` : `SM${hex(`out-${i}-${r}`)}`,
        cost: null,
        cost_currency: null,
        sender_user_id: null,
        notification_type: null,
        occurred_at: at,
        status_updated_at: at,
      }).execute();
      await sql`UPDATE conversations SET last_activity_at = greatest(last_activity_at, ${at}) WHERE org_id = ${orgId} AND id = ${conversationId}`.execute(trx);
      messages++;
    }
  }
  return { conversations: Math.min(CONVERSATIONS, customerIds.length), messages };
}
