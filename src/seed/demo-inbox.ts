/**
 * What makes the demo inbox look like a garage's: quick messages, a few
 * older threads (so Last 30 days and All time differ), voice calls from
 * unknown callers (a call and a voicemail), some conversations assigned to
 * the service advisor and the manager, and the older customer messages
 * already read. Unknown callers use +447700900950…969, outside the replay's
 * sender roster (src/cli/replay/roster.ts).
 */
import type { TenantTx } from '../db/tenant.js';
import type { Channel } from '../db/schema.js';

const DAY = 86_400_000;

export const DEMO_QUICK_MESSAGES = [
  { title: 'Ready to collect', body: 'Good news: your car is ready to collect. We are open until 5:30pm today.' },
  { title: 'Waiting for parts', body: 'Quick update: we are waiting for a part to arrive and will be in touch as soon as it does.' },
  { title: 'Call us', body: 'Could you give us a call on 01632 960 100 when you have a moment? Thanks.' },
  { title: 'Booking confirmed', body: 'Your booking is confirmed. Please drop the car off between 8 and 9am.' },
];

const OLDER_THREADS = [
  { name: 'Gareth Lewis', body: 'Do you do tyre fitting on Saturdays?', daysAgo: 38, channel: 'sms' },
  { name: 'Fiona Grant', body: 'Thanks for the quick MOT last week', daysAgo: 52, channel: 'whatsapp' },
  { name: 'Imran Qureshi', body: 'Can you quote for a cambelt change on a 2015 Golf?', daysAgo: 64, channel: 'sms' },
  { name: 'Beth Morgan', body: 'Invoice received, paid by bank transfer', daysAgo: 81, channel: 'whatsapp' },
  { name: 'Callum Reid', body: 'Is the courtesy car available next Tuesday?', daysAgo: 97, channel: 'sms' },
  { name: 'Nadia Haddad', body: 'Brake pads squeaking again since the service', daysAgo: 120, channel: 'whatsapp' },
] as const;

const CALLS = [
  { phone: '+447700900960', minutesAgo: 25, call: { durationSeconds: 41, outcome: 'answered', transcriptUrl: null, recordingUrl: null } },
  { phone: '+447700900961', minutesAgo: 95, call: { durationSeconds: 38, outcome: 'voicemail', transcriptUrl: null, recordingUrl: null } },
] as const;

async function insertThread(trx: TenantTx, orgId: string, t: { phone: string; name: string | null; channel: Channel; at: Date; body: string; contentType: string; metadata: Record<string, unknown>; read: boolean }) {
  const c = await trx.insertInto('conversations').values({
    org_id: orgId, customer_id: null, contact_phone: t.phone, contact_name: t.name, last_channel: t.channel, last_inbound_at: t.at,
    last_activity_at: t.at, assignee_id: null, work_order_id: null, context_badge: 'unknown',
  }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('messages').values({
    org_id: orgId, conversation_id: c.id, direction: 'inbound', channel: t.channel, content_type: t.contentType, body: t.body,
    media: '[]', metadata: JSON.stringify(t.metadata), status: null, failure_reason: null, provider_error_code: null, provider: null,
    provider_message_id: null, cost: null, cost_currency: null, sender_user_id: null, notification_type: null,
    occurred_at: t.at, read_at: t.read ? t.at : null,
  }).execute();
}

/** @param assignees staff user ids to spread a few recent conversations over (advisor, manager) */
export async function seedInboxExtras(trx: TenantTx, orgId: string, assignees: string[]): Promise<void> {
  await trx.insertInto('quick_messages').values(DEMO_QUICK_MESSAGES.map((q, position) => ({ org_id: orgId, ...q, position }))).execute();
  const now = Date.now();
  for (const [k, t] of OLDER_THREADS.entries()) {
    await insertThread(trx, orgId, { phone: `+4477009009${50 + k}`, name: t.name, channel: t.channel, at: new Date(now - t.daysAgo * DAY), body: t.body, contentType: 'text', metadata: {}, read: true });
  }
  for (const c of CALLS) {
    await insertThread(trx, orgId, { phone: c.phone, name: null, channel: 'voice', at: new Date(now - c.minutesAgo * 60_000), body: '', contentType: 'call', metadata: { call: c.call }, read: false });
  }
  const recent = await trx.selectFrom('conversations').select('id').where('org_id', '=', orgId).where('customer_id', 'is not', null)
    .orderBy('last_activity_at', 'desc').limit(assignees.length * 3).execute();
  for (const [k, c] of recent.entries()) {
    await trx.updateTable('conversations').set({ assignee_id: assignees[k % assignees.length]! }).where('org_id', '=', orgId).where('id', '=', c.id).execute();
  }
  const older = await trx.selectFrom('conversations').select('id').where('org_id', '=', orgId).where('customer_id', 'is not', null)
    .where('last_activity_at', '<', new Date(now - 8 * 3_600_000)).execute();
  if (older.length > 0) {
    await trx.updateTable('messages').set({ read_at: new Date(now - 7 * 3_600_000) })
      .where('org_id', '=', orgId).where('direction', '=', 'inbound').where('conversation_id', 'in', older.map((c) => c.id)).execute();
  }
}
