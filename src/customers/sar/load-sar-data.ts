/**
 * Everything held about one customer, for a Subject Access Request export
 * (issue 12 item 8; UK GDPR art. 15): details, vehicles, work orders, their
 * conversation's every entry (messages, staff notes, system entries) and
 * calls, the media index (bytes are read from the media store by
 * `build-sar-zip.ts`) and call recordings, consent rows and the full consent
 * audit log (by customer, and by their phone for SMS STOP/START), SMS
 * opt-outs, portal links and sessions (the logins), WhatsApp verifications,
 * reminder e-mails and the AI receptionist's decisions.
 *
 * Secrets are left out: link code hashes, session token hashes, OTP code
 * hashes and provider recording URLs are not the customer's data and would
 * only help an attacker. Everything else is exported as stored.
 *
 * One tenant transaction, one query per table (a 5,000-message customer is
 * read in a few tens of milliseconds; `npm run bench:sar`).
 */
import type { TenantTx } from '../../db/tenant.js';

/** A table's rows as exported: column name → value (Dates stay Dates until serialised). */
export type SarRows = Array<Record<string, unknown>>;

export type SarData = {
  organisation: { id: string; name: string; timeZone: string };
  customer: Record<string, unknown>;
  tables: {
    vehicles: SarRows;
    work_orders: SarRows;
    conversations: SarRows;
    messages: SarRows;
    calls: SarRows;
    media: SarRows;
    call_recordings: SarRows;
    consents: SarRows;
    consent_history: SarRows;
    sms_opt_outs: SarRows;
    portal_links: SarRows;
    portal_sessions: SarRows;
    whatsapp_verifications: SarRows;
    reminder_emails: SarRows;
    ai_receptionist_decisions: SarRows;
  };
};

/** A call recording's audio, read with the data (it lives in the database). */
/** A call recording in the export: its bytes are read from the media store at `storageKey` (issue 14: recordings live in the media store). */
export type SarRecording = { recordingSid: string; contentType: string; sizeBytes: number; storageKey: string };

/**
 * @returns the data, the recordings' audio, and media id → media store key for the stored media;
 *   null when the customer does not exist in this organisation
 */
export async function loadSarData(trx: TenantTx, orgId: string, customerId: string): Promise<{ data: SarData; recordings: SarRecording[]; storageKeys: Map<string, string> } | null> {
  const customer = await trx.selectFrom('customers').select(['id', 'name', 'phone', 'email', 'external_id', 'portal_last_login_at', 'created_at', 'updated_at'])
    .where('org_id', '=', orgId).where('id', '=', customerId).executeTakeFirst();
  if (!customer) return null;
  const org = await trx.selectFrom('organisations').select(['id', 'name', 'time_zone']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const conversations = await trx.selectFrom('conversations')
    .select(['id', 'contact_phone', 'contact_name', 'last_channel', 'last_inbound_at', 'last_activity_at', 'work_order_id', 'whatsapp_window_expires_at', 'created_at'])
    .where('org_id', '=', orgId).where('customer_id', '=', customerId).execute();
  const conversationIds = conversations.map((c) => c.id);
  const inConversations = conversationIds.length ? conversationIds : ['00000000-0000-0000-0000-000000000000'];

  const [vehicles, workOrders, messages, calls, media, consents, history, portalLinks, portalSessions, verifications, reminders, ai] = await Promise.all([
    trx.selectFrom('vehicles').select(['id', 'registration', 'make', 'model', 'external_id', 'created_at'])
      .where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at').execute(),
    trx.selectFrom('work_orders').select(['id', 'number', 'title', 'status', 'vehicle_id', 'external_id', 'created_at', 'updated_at'])
      .where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at').execute(),
    trx.selectFrom('messages as m').leftJoin('staff_users as s', (j) => j.onRef('s.org_id', '=', 'm.org_id').onRef('s.id', '=', 'm.sender_user_id'))
      .select(['m.id', 'm.conversation_id', 'm.occurred_at', 'm.direction', 'm.channel', 'm.content_type', 'm.body', 'm.media', 'm.status', 'm.failure_reason',
        'm.provider', 'm.provider_message_id', 'm.template_id', 'm.template_params', 'm.consent_category', 'm.ai_generated', 's.name as sent_by_staff', 'm.sent_at', 'm.read_at', 'm.portal_read_at', 'm.created_at'])
      .where('m.org_id', '=', orgId).where('m.conversation_id', 'in', inConversations).orderBy('m.occurred_at').orderBy('m.id').execute(),
    trx.selectFrom('calls as c').innerJoin('messages as m', (j) => j.onRef('m.org_id', '=', 'c.org_id').onRef('m.id', '=', 'c.message_id'))
      .select(['c.id', 'c.message_id', 'c.call_sid', 'c.direction', 'c.caller_withheld', 'c.status', 'c.outcome', 'c.duration_seconds', 'c.started_at', 'c.answered_at', 'c.ended_at',
        'c.answered_by', 'c.recording_sid', 'c.recording_status', 'c.recording_duration_seconds', 'c.transcript', 'c.transcript_source', 'c.resolved_at'])
      .where('c.org_id', '=', orgId).where('m.conversation_id', 'in', inConversations).orderBy('c.started_at').execute(),
    trx.selectFrom('media_objects').select(['id', 'message_id', 'item_index', 'source', 'state', 'content_type', 'size_bytes', 'width', 'height', 'storage_key', 'created_at', 'stored_at'])
      .where('org_id', '=', orgId).where('conversation_id', 'in', inConversations).where('source', '<>', 'recording') // recordings go to recordings/
      .orderBy('created_at').execute(),
    trx.selectFrom('customer_consents as cc').leftJoin('staff_users as s', (j) => j.onRef('s.org_id', '=', 'cc.org_id').onRef('s.id', '=', 'cc.performed_by_id'))
      .select(['cc.category', 'cc.granted', 'cc.source', 's.name as performed_by', 'cc.updated_at'])
      .where('cc.org_id', '=', orgId).where('cc.customer_id', '=', customerId).orderBy('cc.category').execute(),
    trx.selectFrom('consent_audit_log as a').leftJoin('staff_users as s', (j) => j.onRef('s.org_id', '=', 'a.org_id').onRef('s.id', '=', 'a.performed_by_id'))
      .select(['a.id', 'a.seq', 'a.created_at', 'a.category', 'a.action', 'a.previous_value', 'a.source', 'a.phone', 'a.ip_address', 'a.user_agent', 's.name as performed_by'])
      .where('a.org_id', '=', orgId)
      .where((eb) => eb.or([eb('a.customer_id', '=', customerId), ...(customer.phone ? [eb.and([eb('a.customer_id', 'is', null), eb('a.phone', '=', customer.phone)])] : [])]))
      .orderBy('a.created_at').orderBy('a.seq').execute(),
    trx.selectFrom('portal_links').select(['id', 'conversation_id', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
      .where('org_id', '=', orgId).where((eb) => eb.or([eb('customer_id', '=', customerId), eb('conversation_id', 'in', inConversations)])).orderBy('created_at').execute(),
    trx.selectFrom('portal_sessions').select(['id', 'link_id', 'conversation_id', 'created_at', 'expires_at'])
      .where('org_id', '=', orgId).where((eb) => eb.or([eb('customer_id', '=', customerId), eb('conversation_id', 'in', inConversations)])).orderBy('created_at').execute(),
    trx.selectFrom('whatsapp_verifications').select(['id', 'phone', 'channel', 'status', 'attempts', 'sends', 'created_at', 'last_sent_at', 'expires_at', 'verified_at'])
      .where('org_id', '=', orgId).where('customer_id', '=', customerId).orderBy('created_at').execute(),
    trx.selectFrom('message_reminders').select(['message_id', 'status', 'skip_reason', 'created_at', 'sent_at'])
      .where('org_id', '=', orgId).where('conversation_id', 'in', inConversations).orderBy('created_at').execute(),
    trx.selectFrom('ai_replies').select(['id', 'inbound_message_id', 'reply_message_id', 'channel', 'action', 'outcome', 'category', 'handoff_reason', 'inbound_at', 'created_at'])
      .where('org_id', '=', orgId).where('conversation_id', 'in', inConversations).orderBy('created_at').execute(),
  ]);
  const smsOptOuts = customer.phone
    ? await trx.selectFrom('sms_opt_outs').select(['phone', 'opted_out', 'updated_at']).where('org_id', '=', orgId).where('phone', '=', customer.phone).execute()
    : [];
  const recordingSids = calls.map((c) => c.recording_sid).filter((s): s is string => Boolean(s));
  const recordings = recordingSids.length
    ? await trx.selectFrom('call_recordings as r').innerJoin('media_objects as mo', (j) => j.onRef('mo.org_id', '=', 'r.org_id').onRef('mo.id', '=', 'r.media_id'))
      .select(['r.recording_sid', 'r.content_type', 'r.size_bytes', 'mo.storage_key'])
      .where('r.org_id', '=', orgId).where('r.recording_sid', 'in', recordingSids).where('mo.storage_key', 'is not', null).execute()
    : [];

  return {
    storageKeys: new Map(media.filter((m) => m.storage_key).map((m) => [m.id, m.storage_key!])),
    recordings: recordings.map((r) => ({ recordingSid: r.recording_sid, contentType: r.content_type, sizeBytes: Number(r.size_bytes), storageKey: r.storage_key! })),
    data: {
      organisation: { id: org.id, name: org.name, timeZone: org.time_zone },
      customer,
      tables: {
        vehicles, work_orders: workOrders, conversations, messages, calls,
        media: media.map(({ storage_key, ...m }) => ({ ...m, file: storage_key ? mediaFileName(m.id, m.content_type) : null })),
        call_recordings: recordings.map((r) => ({ recording_sid: r.recording_sid, content_type: r.content_type, size_bytes: Number(r.size_bytes), file: recordingFileName(r.recording_sid, r.content_type) })),
        consents, consent_history: history, sms_opt_outs: smsOptOuts,
        portal_links: portalLinks, portal_sessions: portalSessions, whatsapp_verifications: verifications,
        reminder_emails: reminders, ai_receptionist_decisions: ai,
      },
    },
  };
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/heic': 'heic', 'application/pdf': 'pdf',
  'audio/mpeg': 'mp3', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/ogg': 'ogg', 'video/mp4': 'mp4', 'text/plain': 'txt',
};
const extension = (contentType: string) => EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';

/** Where a stored media item sits in the zip. */
export const mediaFileName = (mediaId: string, contentType: string) => `media/${mediaId}.${extension(contentType)}`;
/** Where a call recording sits in the zip. */
export const recordingFileName = (recordingSid: string, contentType: string) => `recordings/${recordingSid.replace(/[^A-Za-z0-9_-]/g, '_')}.${extension(contentType)}`;
