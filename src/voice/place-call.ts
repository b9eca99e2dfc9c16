/**
 * "Call" on a thread (issue 14 item 1): Twilio rings the staff member's
 * phone, then connects the customer (`POST
 * {TWILIO_API_BASE_URL}/2010-04-01/Accounts/{AccountSid}/Calls.json`,
 * form-encoded, HTTP Basic; `To` the staff phone, `From` the garage number,
 * `Twiml` dialling the customer, `StatusCallback` with
 * `StatusCallbackEvent` = initiated ringing answered completed; Twilio docs
 * "Call resource").
 *
 * The call and its thread entry are committed before Twilio is asked, and
 * every callback URL carries our call id (`?call=`), so callbacks that
 * arrive before Twilio's answer find the call. A refused request records a
 * failed status (the card shows "Call failed"). With
 * `OUTBOUND_PROVIDERS=sandbox` no request is made and the call stays ringing.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { Principal } from '../auth/principal.js';
import { callProvider } from '../channels/http-call.js';
import { twilioError } from '../channels/twilio/twilio-errors.js';
import { ProviderError } from '../channels/contract.js';
import { lockCall, recordCallEvent, refreshCall } from '../ingest/record-call.js';
import { AppError } from '../server/errors.js';
import { outboundCallTwiml, voiceUrls } from '../webhooks/twilio/voice-twiml.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';

const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

type Prepared = { callId: string; accountSid: string; authToken: string; garageNumber: string; staffPhone: string; customerPhone: string };

/**
 * @param staffPhone E.164 phone to ring first; remembered for this staff member; default the one remembered
 * @returns the new call's id
 * @throws AppError not_found | channel_unavailable (no customer number, no Twilio number, no staff phone) | provider_rejected
 */
export async function placeCall(deps: { db: Kysely<Database>; config: Config }, principal: Principal, conversationId: string, staffPhone: string | null): Promise<{ callId: string }> {
  const { db, config } = deps;
  const orgId = principal.orgId;
  const prepared: Prepared = await withTenant(db, orgId, async (trx) => {
    const c = await trx.selectFrom('conversations as c').leftJoin('customers as cu', (j) => j.onRef('cu.org_id', '=', 'c.org_id').onRef('cu.id', '=', 'c.customer_id'))
      .select(['c.id', 'c.contact_phone', 'cu.phone as customer_phone']).where('c.org_id', '=', orgId).where('c.id', '=', conversationId).executeTakeFirst();
    if (!c) throw new AppError('not_found', 'No such conversation in this organisation.');
    const customerPhone = c.customer_phone ?? c.contact_phone;
    if (!customerPhone) throw new AppError('channel_unavailable', 'This conversation has no phone number to call.');
    const identity = await trx.selectFrom('channel_identities').select(['address', 'account_sid', 'auth_token'])
      .where('org_id', '=', orgId).where('provider', '=', 'twilio').where('kind', '=', 'phone_number').orderBy('created_at').executeTakeFirst();
    if (!identity?.auth_token) throw new AppError('channel_unavailable', 'The garage has no Twilio number to call from.');
    let phone = staffPhone;
    if (phone && principal.userId) {
      const given = phone;
      await trx.insertInto('staff_call_phones').values({ org_id: orgId, user_id: principal.userId, phone: given })
        .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ phone: given, updated_at: new Date() })).execute();
    } else if (!phone && principal.userId) {
      phone = (await trx.selectFrom('staff_call_phones').select('phone').where('org_id', '=', orgId).where('user_id', '=', principal.userId).executeTakeFirst())?.phone ?? null;
    }
    if (!phone) throw new AppError('channel_unavailable', 'Give the phone number Twilio should ring you on (staffPhone).');
    const now = new Date();
    const message = await trx.insertInto('messages').values({
      org_id: orgId, conversation_id: c.id, direction: 'outbound', channel: 'voice', content_type: 'call', body: '', media: '[]',
      metadata: JSON.stringify({ call: { state: 'ringing', outcome: null } }), status: 'sent', failure_reason: null, provider_error_code: null,
      provider: 'twilio', provider_message_id: null, cost: null, cost_currency: null, sender_user_id: principal.userId, notification_type: null, occurred_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const call = await trx.insertInto('calls').values({
      org_id: orgId, call_sid: null, message_id: message.id, direction: 'outbound', status: 'queued', outcome: null, duration_seconds: null,
      answered_by: null, recording_sid: null, recording_status: null, recording_duration_seconds: null, recording_url: null, transcript: null,
      transcript_source: null, resolved_by_user_id: null, placed_by_user_id: principal.userId, started_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await refreshCall(trx, orgId, call);
    const accountSid = identity.account_sid ?? '';
    return { callId: call.id, accountSid, authToken: secretBoxFor(config).open(identity.auth_token), garageNumber: identity.address, staffPhone: phone, customerPhone };
  });

  const sid = config.OUTBOUND_PROVIDERS === 'sandbox' ? `CA${randomBytes(16).toString('hex')}` : await requestCall(config, prepared).catch(async (err: unknown) => {
    await withTenant(db, orgId, async (trx) => {
      const call = await lockCall(trx, orgId, { callId: prepared.callId });
      if (call) await recordCallEvent(trx, orgId, call, { key: 'status:not-placed', kind: 'status', sequence: null, callStatus: 'failed', occurredAt: new Date(), details: { sequence: 1_000_000, callStatus: 'failed', callDurationSeconds: null } });
    });
    throw err instanceof ProviderError ? new AppError('provider_rejected', err.message) : err;
  });
  await withTenant(db, orgId, async (trx) => {
    const call = await lockCall(trx, orgId, { callId: prepared.callId });
    if (call && call.call_sid === null) {
      await trx.updateTable('calls').set({ call_sid: sid }).where('org_id', '=', orgId).where('id', '=', call.id).execute();
      await trx.updateTable('messages').set({ provider_message_id: sid }).where('org_id', '=', orgId).where('id', '=', call.message_id).execute();
    }
  });
  return { callId: prepared.callId };
}

/** The Calls.json request; @returns Twilio's CallSid @throws ProviderError */
async function requestCall(config: Config, p: Prepared): Promise<string> {
  const query = `?call=${p.callId}`;
  const form = new URLSearchParams({
    To: p.staffPhone, From: p.garageNumber,
    Twiml: outboundCallTwiml(p.customerPhone, p.garageNumber, voiceUrls(config.PUBLIC_BASE_URL, query)),
    StatusCallback: `${config.PUBLIC_BASE_URL}/twilio/voice/status${query}`, StatusCallbackMethod: 'POST',
  });
  for (const e of STATUS_EVENTS) form.append('StatusCallbackEvent', e);
  const reply = await callProvider('Twilio', {
    method: 'POST', url: `${config.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${encodeURIComponent(p.accountSid)}/Calls.json`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${p.accountSid}:${p.authToken}`).toString('base64')}` },
    body: form.toString(), timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
  if (reply.status < 200 || reply.status >= 300) throw twilioError(reply);
  const sid = (reply.json as { sid?: unknown } | undefined)?.sid;
  if (typeof sid !== 'string' || !/^CA[0-9a-fA-F]{32}$/.test(sid)) throw new ProviderError('permanent', 'Twilio accepted the call but returned no call sid');
  return sid;
}
