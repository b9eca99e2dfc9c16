/**
 * Twilio Voice webhooks (issue 14 item 1; provider-protocols.md §6, §11a),
 * signed and checked exactly like SMS (`X-Twilio-Signature` with the
 * routed garage's auth token, over PUBLIC_BASE_URL + path + query):
 *
 * | Path | Twilio request | Answer |
 * |---|---|---|
 * | `POST /twilio/voice` | the number's *A call comes in* | TwiML ringing the garage, or voicemail |
 * | `POST /twilio/voice/status` | call status callback (`initiated ringing answered completed`) | 204 |
 * | `POST /twilio/voice/dial` | `<Dial action>` of the ring list | TwiML: hang up, the escalation number, or voicemail |
 * | `POST /twilio/voice/escalation` | `<Dial action>` of the escalation number | TwiML: hang up, or voicemail |
 * | `POST /twilio/voice/leg` | `<Number>`/`<Sip>` status callback (who picked up; `?leg=escalation` for the escalation number) | 204 |
 * | `POST /twilio/voice/recorded` | `<Record action>` | TwiML: goodbye |
 * | `POST /twilio/voice/recording` | recording status callback (`completed absent`) | 204 |
 * | `POST /twilio/voice/transcription` | `transcribeCallback` (`failed` queues speech to text) | 204 |
 *
 * Routing: the incoming call by `To` (a number in a Messaging Service pool:
 * configure `/twilio/voice?MessagingServiceSid=MG…`, signed with the URL);
 * every later callback by its CallSid (`ParentCallSid` for legs) or, for a
 * call we placed, our call id in the callback URL (`?call=`). A status
 * callback for an inbound call we have not seen yet creates it. Unknown →
 * 404 `unknown_destination`; bad signature → 403; nothing is stored before
 * the signature is checked, and the answer is sent after commit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { TenantTx } from '../../db/tenant.js';
import type { JobQueue } from '../../jobs/queue.js';
import { routeTwilio, routeTwilioCall, type TwilioRoute } from '../../ingest/channel-routing.js';
import { ensureInboundCall, lockCall, lockCallSid, recordCallEvent, type CallEventInput, type CallRow } from '../../ingest/record-call.js';
import { callerNumber, TWILIO_CALL_STATUSES, type TwilioCallStatus } from '../../domain/call-state.js';
import { toE164 } from '../../domain/phone.js';
import { loadVoiceSettings, ringPlanOf } from '../../voice/voice-settings.js';
import { enqueueRecordingDownload } from '../../voice/recording-download.job.js';
import { AppError } from '../../server/errors.js';
import { param, registerFormBodyParser, type FormParams } from '../form-body.js';
import { formParams, verifyTwilioSignature } from './twilio.routes.js';
import { dialCompleteTwiml, escalationCompleteTwiml, incomingCallTwiml, recordedTwiml, voiceUrls } from './voice-twiml.js';

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue };

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TERMINAL_SEQUENCE = 1_000_000;

function required(params: FormParams, name: string, pattern?: RegExp): string {
  const v = param(params, name);
  if (!v || (pattern && !pattern.test(v))) throw new AppError('malformed_payload', `${name} is missing or malformed.`);
  return v;
}
function seconds(v: string | undefined): number | null {
  return v && /^\d{1,7}$/.test(v) ? Number(v) : null;
}
function callStatus(v: string | undefined): TwilioCallStatus {
  if (!v || !(TWILIO_CALL_STATUSES as readonly string[]).includes(v)) throw new AppError('malformed_payload', 'CallStatus is missing or unknown.');
  return v as TwilioCallStatus;
}
/** Twilio's RFC 2822 `Timestamp`, else now. */
function timestamp(v: string | undefined, now: Date): Date {
  const t = v ? new Date(v) : null;
  return t && !Number.isNaN(t.getTime()) ? t : now;
}
function queryValue(request: FastifyRequest, name: string): string | null {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v !== '' ? v : null;
}
const isPossible = (n: string) => toE164(n) === n;

/** Our number for the incoming-call routing. */
function ourNumber(params: FormParams): string | null {
  const to = param(params, 'To');
  return to ? toE164(to) : null;
}

/**
 * Route, verify, and find (or, for an inbound call, create) the call.
 * @param callSid the parent call's sid
 * @throws AppError unknown_destination | invalid_signature | malformed_payload
 */
async function resolveCall(trx: TenantTx, config: Config, request: FastifyRequest, params: FormParams, callSid: string, now: Date): Promise<{ route: TwilioRoute; call: CallRow }> {
  const callIdParam = queryValue(request, 'call');
  const callId = callIdParam && UUID.test(callIdParam) ? callIdParam : null;
  const accountSid = param(params, 'AccountSid') ?? null;
  let route = await routeTwilioCall(trx, callSid, callId, accountSid);
  const inbound = param(params, 'Direction') === 'inbound';
  if (!route && inbound) route = await routeTwilio(trx, ourNumber(params), queryValue(request, 'MessagingServiceSid'));
  if (!route) {
    request.log.warn({ callSid }, 'twilio voice callback for a call no organisation has');
    throw new AppError('unknown_destination', 'No organisation has this call or number.');
  }
  verifyTwilioSignature(route, config, request, params);
  await lockCallSid(trx, route.orgId, callSid);
  let call = await lockCall(trx, route.orgId, { callSid, callId });
  if (!call && inbound) call = await ensureInboundCall(trx, route.orgId, { callSid, caller: callerNumber(param(params, 'From'), isPossible), occurredAt: now });
  if (!call) throw new AppError('unknown_destination', 'No organisation has this call.');
  if (call.call_sid === null) {
    await trx.updateTable('calls').set({ call_sid: callSid }).where('org_id', '=', route.orgId).where('id', '=', call.id).execute();
    await trx.updateTable('messages').set({ provider_message_id: callSid }).where('org_id', '=', route.orgId).where('id', '=', call.message_id).execute();
    call = { ...call, call_sid: callSid };
  } else if (call.call_sid !== callSid) {
    throw new AppError('malformed_payload', 'CallSid does not belong to this call.');
  }
  return { route, call };
}

export async function voiceRoutes(app: FastifyInstance, { db, config, queue }: Deps): Promise<void> {
  registerFormBodyParser(app);
  /** One callback: resolve the call, store the event once, optionally answer TwiML from the locked call. */
  async function callback(request: FastifyRequest, callSidField: 'CallSid' | 'ParentCallSid', event: (params: FormParams, now: Date, trx: TenantTx, orgId: string) => CallEventInput | null | Promise<CallEventInput | null>,
    after?: (trx: TenantTx, orgId: string, call: CallRow, params: FormParams, duplicate: boolean) => Promise<string | null>): Promise<string | null> {
    const params = formParams(request);
    const callSid = required(params, callSidField, CALL_SID);
    const now = new Date();
    return db.transaction().execute(async (trx) => {
      const { route, call } = await resolveCall(trx, config, request, params, callSid, now);
      const input = await event(params, now, trx, route.orgId);
      const recorded = input ? await recordCallEvent(trx, route.orgId, call, input) : { duplicate: true };
      request.log.info({ orgId: route.orgId, callId: call.id, event: input?.key ?? null, duplicate: recorded.duplicate }, 'twilio voice callback');
      return after ? after(trx, route.orgId, call, params, recorded.duplicate) : null;
    });
  }

  app.post('/twilio/voice', { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request);
    const callSid = required(params, 'CallSid', CALL_SID);
    const number = ourNumber(params);
    const serviceSid = queryValue(request, 'MessagingServiceSid');
    if (!number && !serviceSid) throw new AppError('malformed_payload', 'To or MessagingServiceSid is required to route the call.');
    const twiml = await db.transaction().execute(async (trx) => {
      const route = await routeTwilio(trx, number, serviceSid);
      if (!route) {
        request.log.warn({ number, serviceSid }, 'twilio call for a number no organisation owns');
        throw new AppError('unknown_destination', 'No organisation owns this number or Messaging Service.');
      }
      verifyTwilioSignature(route, config, request, params);
      const call = await ensureInboundCall(trx, route.orgId, { callSid, caller: callerNumber(param(params, 'From'), isPossible), occurredAt: new Date() });
      const settings = await loadVoiceSettings(trx, route.orgId);
      request.log.info({ orgId: route.orgId, callId: call.id }, 'twilio incoming call');
      return incomingCallTwiml(ringPlanOf(settings), settings.voicemailGreeting, voiceUrls(config.PUBLIC_BASE_URL));
    });
    return reply.status(200).type('text/xml').send(twiml);
  });

  app.post('/twilio/voice/status', { schema: { hide: true } }, async (request, reply) => {
    await callback(request, 'CallSid', (params, now) => {
      const status = callStatus(param(params, 'CallStatus'));
      const seq = param(params, 'SequenceNumber');
      const sequence = seq && /^\d{1,6}$/.test(seq) ? Number(seq) : null;
      const terminal = ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(status);
      return {
        key: sequence === null ? `status:${status}` : `status:${sequence}`,
        kind: 'status', sequence, callStatus: status, occurredAt: timestamp(param(params, 'Timestamp'), now),
        details: { sequence: sequence ?? (terminal ? TERMINAL_SEQUENCE : 0), callStatus: status, callDurationSeconds: seconds(param(params, 'CallDuration')), sipResponseCode: param(params, 'SipResponseCode') ?? null },
      };
    });
    return reply.status(204).send();
  });

  app.post('/twilio/voice/dial', { schema: { hide: true } }, async (request, reply) => {
    const twiml = await callback(request, 'CallSid', (params, now) => {
      const dialStatus = required(params, 'DialCallStatus', /^(completed|answered|busy|no-answer|failed|canceled)$/);
      return { key: 'dial', kind: 'dial', sequence: null, callStatus: dialStatus, occurredAt: now, details: { dialStatus, dialDurationSeconds: seconds(param(params, 'DialCallDuration')) } };
    }, async (trx, orgId, call, params) => {
      const answered = ['completed', 'answered'].includes(param(params, 'DialCallStatus') ?? '');
      const settings = await loadVoiceSettings(trx, orgId);
      const query = call.direction === 'outbound' ? `?call=${call.id}` : '';
      return dialCompleteTwiml(answered, call.direction === 'inbound', ringPlanOf(settings), settings.voicemailGreeting, voiceUrls(config.PUBLIC_BASE_URL, query));
    });
    return reply.status(200).type('text/xml').send(twiml);
  });

  app.post('/twilio/voice/escalation', { schema: { hide: true } }, async (request, reply) => {
    const twiml = await callback(request, 'CallSid', async (params, now, trx, orgId) => {
      const dialStatus = required(params, 'DialCallStatus', /^(completed|answered|busy|no-answer|failed|canceled)$/);
      // The number rung, as the settings were when it rang (the answered leg's callback names it too).
      const to = (await loadVoiceSettings(trx, orgId)).escalationNumber;
      return { key: 'escalation', kind: 'escalation', sequence: null, callStatus: dialStatus, occurredAt: now, details: { dialStatus, dialDurationSeconds: seconds(param(params, 'DialCallDuration')), to } };
    }, async (trx, orgId, _call, params) => {
      const answered = ['completed', 'answered'].includes(param(params, 'DialCallStatus') ?? '');
      return escalationCompleteTwiml(answered, (await loadVoiceSettings(trx, orgId)).voicemailGreeting, voiceUrls(config.PUBLIC_BASE_URL));
    });
    return reply.status(200).type('text/xml').send(twiml);
  });

  app.post('/twilio/voice/leg', { schema: { hide: true } }, async (request, reply) => {
    await callback(request, 'ParentCallSid', (params, now) => {
      const legSid = required(params, 'CallSid', CALL_SID);
      const status = callStatus(param(params, 'CallStatus'));
      const escalation = queryValue(request, 'leg') === 'escalation';
      return { key: `leg:${legSid}:${status}`, kind: 'leg', sequence: null, callStatus: status, occurredAt: timestamp(param(params, 'Timestamp'), now), details: { callStatus: status, answeredBy: param(params, 'To') ?? null, escalation } };
    });
    return reply.status(204).send();
  });

  app.post('/twilio/voice/recorded', { schema: { hide: true } }, async (request, reply) => {
    await callback(request, 'CallSid', () => null);
    return reply.status(200).type('text/xml').send(recordedTwiml());
  });

  app.post('/twilio/voice/recording', { schema: { hide: true } }, async (request, reply) => {
    await callback(request, 'CallSid', (params, now) => {
      const sid = required(params, 'RecordingSid', /^RE[0-9a-fA-F]{32}$/);
      const status = required(params, 'RecordingStatus', /^(in-progress|completed|absent|failed)$/);
      const source = param(params, 'RecordingSource');
      return {
        key: `recording:${sid}:${status}`, kind: 'recording', sequence: null, callStatus: null, occurredAt: now,
        details: { recordingSid: sid, status, durationSeconds: seconds(param(params, 'RecordingDuration')), voicemail: !source || source === 'RecordVerb', errorCode: param(params, 'ErrorCode') ?? null },
      };
    }, async (trx, orgId, call, params, duplicate) => {
      if (duplicate || param(params, 'RecordingStatus') !== 'completed') return null;
      const url = param(params, 'RecordingUrl');
      if (!url) throw new AppError('malformed_payload', 'RecordingUrl is missing.');
      const recordingSid = param(params, 'RecordingSid')!;
      await trx.updateTable('calls').set({ recording_url: url }).where('org_id', '=', orgId).where('id', '=', call.id).execute();
      await enqueueRecordingDownload(queue, trx, { orgId, callId: call.id, recordingSid, recordingUrl: url, durationSeconds: seconds(param(params, 'RecordingDuration')) ?? 0 });
      return null;
    });
    return reply.status(204).send();
  });

  app.post('/twilio/voice/transcription', { schema: { hide: true } }, async (request, reply) => {
    await callback(request, 'CallSid', (params, now) => {
      const sid = required(params, 'TranscriptionSid', /^TR[0-9a-fA-F]{32}$/);
      const status = required(params, 'TranscriptionStatus', /^(in-progress|completed|failed)$/);
      return { key: `transcription:${sid}:${status}`, kind: 'transcription', sequence: null, callStatus: null, occurredAt: now, details: { status, text: param(params, 'TranscriptionText') ?? null } };
    }, async (trx, orgId, call, params, duplicate) => {
      // Twilio could not transcribe: the recording job runs again (it finds the audio stored) and hands it to speech to text.
      if (duplicate || param(params, 'TranscriptionStatus') !== 'failed') return null;
      const recordingSid = param(params, 'RecordingSid');
      const recordingUrl = param(params, 'RecordingUrl') ?? call.recording_url;
      if (!recordingSid || !/^RE[0-9a-fA-F]{32}$/.test(recordingSid) || !recordingUrl) return null;
      await enqueueRecordingDownload(queue, trx, { orgId, callId: call.id, recordingSid, recordingUrl, durationSeconds: call.recording_duration_seconds ?? 0 });
      return null;
    });
    return reply.status(204).send();
  });
}
