/**
 * A customer with something in every part of a Subject Access Request
 * export: a vehicle, a work order, `messages` messages in their conversation
 * (one whose body is a spreadsheet formula), a stored photo, a call with its
 * recording, a staff consent change and a portal one (with IP and browser),
 * a portal link and a sign-in. Used by test/customers/sar-export.test.ts,
 * the browser test and bench/sar.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { withTenant } from '../../src/db/tenant.js';
import { setConsent } from '../../src/consent/consent.repository.js';
import { createPortalLink } from '../../src/sending/portal-links.js';
import { createPortalSession } from '../../src/portal/portal-session.js';
import { mediaKey, type MediaStore } from '../../src/media/store.js';
import { recordingKey, recordStoredRecording } from '../../src/voice/recording-store.js';
import { createCustomer, createWorkOrder } from './fixtures.js';

/** The formula-looking message body the CSV must neutralise. */
export const FORMULA_BODY = '=HYPERLINK("http://attacker.example","click")';
/** The stored photo's bytes (a PNG signature and a little more). */
export const PHOTO_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('sar-fixture-photo')]);
export const RECORDING_BYTES = Buffer.from('ID3-sar-fixture-recording');

export type SarCustomer = { customerId: string; name: string; phone: string; conversationId: string; mediaId: string; recordingSid: string };

export async function seedSarCustomer(db: Kysely<Database>, store: MediaStore, orgId: string, opts: { messages?: number; name?: string; staffUserId?: string | null } = {}): Promise<SarCustomer> {
  const total = opts.messages ?? 20;
  const customer = await createCustomer(db, orgId, { name: opts.name ?? 'Grace Evans', email: 'grace.sar@example.co.uk' });
  await createWorkOrder(db, orgId, customer.id);
  return withTenant(db, orgId, async (trx) => {
    await trx.insertInto('vehicles').values({ org_id: orgId, customer_id: customer.id, registration: 'AB12 CDE', make: 'Ford', model: 'Fiesta' }).execute();
    const conversation = await trx.insertInto('conversations').values({
      org_id: orgId, customer_id: customer.id, contact_phone: customer.phone, contact_name: customer.name, last_channel: 'sms', last_activity_at: new Date(),
      assignee_id: null, work_order_id: null, context_badge: null,
    }).returning('id').executeTakeFirstOrThrow();
    // The bulk: alternating inbound and outbound SMS, a minute apart, ending now.
    await sql`
      INSERT INTO messages (org_id, conversation_id, direction, channel, body, media, metadata, status, provider, occurred_at)
      SELECT ${orgId}, ${conversation.id}, CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'sms',
             'Message number ' || i || ' about the brake pads and the MOT on Friday', '[]'::jsonb, '{}'::jsonb,
             CASE WHEN i % 2 = 0 THEN NULL ELSE 'delivered' END, 'twilio', now() - (${total} - i) * interval '1 minute'
      FROM generate_series(1, ${Math.max(0, total - 3)}) AS i
    `.execute(trx);
    await trx.insertInto('messages').values({
      org_id: orgId, conversation_id: conversation.id, direction: 'inbound', channel: 'sms', body: FORMULA_BODY, media: '[]', metadata: '{}',
      status: null, failure_reason: null, provider_error_code: null, provider: 'twilio', provider_message_id: null, cost: null, cost_currency: null,
      sender_user_id: null, notification_type: null, occurred_at: new Date(),
    }).execute();

    const photoMessage = await trx.insertInto('messages').values({
      org_id: orgId, conversation_id: conversation.id, direction: 'inbound', channel: 'sms', body: 'Here is the dent', media: '[]', metadata: '{}',
      status: null, failure_reason: null, provider_error_code: null, provider: 'twilio', provider_message_id: null, cost: null, cost_currency: null,
      sender_user_id: null, notification_type: null, occurred_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const media = await trx.insertInto('media_objects').values({
      org_id: orgId, conversation_id: conversation.id, message_id: photoMessage.id, item_index: 0, source: 'twilio', provider_ref: null, state: 'pending',
      content_type: 'image/png', size_bytes: null, width: null, height: null, storage_key: null, thumbnail_key: null, failure_reason: null,
    }).returning('id').executeTakeFirstOrThrow();
    const key = mediaKey(orgId, 'media', media.id, 'original');
    await store.put(key, PHOTO_BYTES, 'image/png');
    await trx.updateTable('media_objects').set({ state: 'stored', storage_key: key, size_bytes: PHOTO_BYTES.length, stored_at: new Date() })
      .where('org_id', '=', orgId).where('id', '=', media.id).execute();
    await trx.updateTable('messages').set({ media: JSON.stringify([{ contentType: 'image/png', mediaId: media.id, state: 'stored', size: PHOTO_BYTES.length }]) })
      .where('org_id', '=', orgId).where('id', '=', photoMessage.id).execute();

    const callMessage = await trx.insertInto('messages').values({
      org_id: orgId, conversation_id: conversation.id, direction: 'inbound', channel: 'voice', body: '', content_type: 'call', media: '[]', metadata: '{}',
      status: null, failure_reason: null, provider_error_code: null, provider: 'twilio', provider_message_id: null, cost: null, cost_currency: null,
      sender_user_id: null, notification_type: null, occurred_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const recordingSid = `RE${randomBytes(16).toString('hex')}`;
    const call = await trx.insertInto('calls').values({
      org_id: orgId, call_sid: `CA${randomBytes(16).toString('hex')}`, message_id: callMessage.id, direction: 'inbound', outcome: 'voicemail', duration_seconds: 42,
      answered_at: null, ended_at: new Date(), answered_by: null, recording_sid: recordingSid, recording_status: 'completed', recording_duration_seconds: 30,
      recording_url: 'https://api.twilio.com/secret-recording-url', transcript: 'Hi, it is Grace about the car', transcript_source: 'twilio',
      resolved_at: null, resolved_by_user_id: null, placed_by_user_id: null,
    }).returning('id').executeTakeFirstOrThrow();
    await store.put(recordingKey(orgId, recordingSid), RECORDING_BYTES, 'audio/mpeg');
    await recordStoredRecording(trx, { orgId, callId: call.id, conversationId: conversation.id, recordingSid, contentType: 'audio/mpeg', size: RECORDING_BYTES.length });

    await setConsent(trx, orgId, customer.id, 'marketing', true, { source: 'portal_preference', ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 SarFixture' });
    await setConsent(trx, orgId, customer.id, 'service_reminders', false, { source: 'staff_entry', performedById: opts.staffUserId ?? null });
    const now = new Date();
    const code = await createPortalLink(trx, orgId, conversation.id, customer.id, 7, now);
    const link = await trx.selectFrom('portal_links').select(['id', 'expires_at']).where('org_id', '=', orgId).where('conversation_id', '=', conversation.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    void code;
    await createPortalSession(trx, orgId, { id: link.id, conversationId: conversation.id, customerId: customer.id, expiresAt: link.expires_at }, now);
    return { customerId: customer.id, name: customer.name, phone: customer.phone!, conversationId: conversation.id, mediaId: media.id, recordingSid };
  });
}
