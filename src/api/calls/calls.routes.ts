/**
 * Voice calls API (issue 14):
 * - `GET /v1/calls/{id}` (calls.view): the call detail page's data;
 * - `GET /v1/calls?callSid=CA…` (calls.view): find a call by its Twilio sid (integrations, replay);
 * - `GET /v1/calls/{id}/recording` (calls.view): the downloaded recording,
 *   read from the media store and served only to signed-in principals of
 *   the call's organisation (RLS), never a Twilio URL;
 * - `POST /v1/calls/{id}/resolve` (calls.manage): Mark resolved;
 * - `POST /v1/calls/{id}/reassign` (calls.manage) `{customerId | null, reason?}`:
 *   move to another customer's conversation, or (null) detach to anonymous;
 * - `GET /v1/calls/customers?q=` (calls.manage): customers to reassign to
 *   (phone only for `customers.contact.view`);
 * - `POST /v1/conversations/{id}/calls` (calls.manage) `{staffPhone?}`:
 *   place an outbound call (src/voice/place-call.ts);
 * - `GET /v1/voice/settings` (calls.view), `PUT /v1/voice/settings`
 *   (settings.communication.manage): who rings, for how long, the greeting,
 *   the escalation number (audited; Settings > Voice in the staff app).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { canSeeContact } from '../../auth/redaction.js';
import { toE164 } from '../../domain/phone.js';
import { AppError } from '../../server/errors.js';
import { loadCallDetail } from '../../voice/call-detail.js';
import { reassignCall, resolveCall } from '../../voice/call-actions.js';
import { placeCall } from '../../voice/place-call.js';
import { readRecording } from '../../voice/recording-store.js';
import type { MediaStore } from '../../media/store.js';
import { sendStoredObject } from '../media/media.routes.js';
import { loadVoiceSettings, saveVoiceSettings } from '../../voice/voice-settings.js';

const security = [{ bearerAuth: [] }];
const tags = ['calls'];
const e164 = z.string().max(32).transform((v, ctx) => {
  const n = toE164(v);
  if (!n) ctx.addIssue({ code: 'custom', message: 'not a phone number' });
  return n ?? '';
});
const settingsSchema = z.object({
  ringNumbers: z.array(z.string()).max(10).describe('Staff phones (E.164) rung at once; the first to pick up gets the call'),
  sipAddress: z.string().nullable().describe('Or one SIP address (sip:reception@garage.sip.twilio.com) instead of phones'),
  ringTimeoutSeconds: z.number().int().min(5).max(60),
  voicemailGreeting: z.string().min(1).max(500),
  escalationNumber: z.string().nullable().optional().describe('Rung when nobody on the ring list answers (owner, answering service); a call it picks up is an escalation. Omitted: unchanged'),
});

export async function callRoutes(app: FastifyInstance, { db, config, store }: { db: Kysely<Database>; config: Config; store: MediaStore }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/calls/:id', {
    config: { capability: 'calls.view' },
    schema: { summary: 'A call: timeline, who answered, recording, transcript', tags, security, params: z.object({ id: z.uuid() }) },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const detail = await loadCallDetail(trx, request.orgId, request.params.id, { contactVisible: canSeeContact(request.principal) });
    if (!detail) throw new AppError('not_found', 'No such call in this organisation.');
    return detail;
  }));

  r.get('/v1/calls', {
    config: { capability: 'calls.view' },
    schema: { summary: 'Find a call by its Twilio CallSid', tags, security, querystring: z.object({ callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/) }) },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const row = await trx.selectFrom('calls').select('id').where('org_id', '=', request.orgId).where('call_sid', '=', request.query.callSid).executeTakeFirst();
    const detail = row ? await loadCallDetail(trx, request.orgId, row.id, { contactVisible: canSeeContact(request.principal) }) : null;
    return { calls: detail ? [detail] : [] };
  }));

  r.get('/v1/calls/:id/recording', {
    config: { capability: 'calls.view' },
    schema: { summary: "The call's recording (audio)", tags, security, params: z.object({ id: z.uuid() }) },
  }, async (request, reply) => {
    const recording = await readRecording(db, store, request.orgId, { callId: request.params.id });
    if (!recording) throw new AppError('not_found', 'This call has no downloaded recording.');
    return sendStoredObject(reply, recording, 'private, no-store');
  });

  r.post('/v1/calls/:id/resolve', {
    config: { capability: 'calls.manage' },
    schema: { summary: 'Mark a missed call, voicemail, escalation or errored call resolved', tags, security, params: z.object({ id: z.uuid() }), body: z.object({}).optional() },
  }, async (request) => withTenant(db, request.orgId, async (trx) => ({ id: request.params.id, ...(await resolveCall(trx, request.principal, request.params.id, new Date())) })));

  r.post('/v1/calls/:id/reassign', {
    config: { capability: 'calls.manage' },
    schema: {
      summary: 'Move a call to another customer, or detach it to anonymous', tags, security, params: z.object({ id: z.uuid() }),
      body: z.object({ customerId: z.uuid().nullable().describe('null: Detach to anonymous'), reason: z.string().max(500).optional() }),
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => ({
    id: request.params.id, ...(await reassignCall(trx, request.principal, request.params.id, request.body.customerId, request.body.reason?.trim() || null)),
  })));

  r.get('/v1/calls/customers', {
    config: { capability: 'calls.manage' },
    schema: { summary: 'Customers a call can be moved to', tags, security, querystring: z.object({ q: z.string().trim().min(1).max(100) }) },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const q = request.query.q;
    const digits = q.replace(/\D/g, '');
    const phone = toE164(q);
    const rows = await trx.selectFrom('customers').select(['id', 'name', 'phone'])
      .where('org_id', '=', request.orgId)
      .where((eb) => eb.or([
        eb('name', 'ilike', `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
        ...(phone ? [eb('phone', '=', phone)] : []),
        ...(digits.length >= 6 && canSeeContact(request.principal) ? [eb('phone', 'like', sql<string>`${'%' + digits.slice(-9)}`)] : []),
      ]))
      .orderBy('name').limit(20).execute();
    const contact = canSeeContact(request.principal);
    return { customers: rows.map((c) => ({ id: c.id, name: c.name, phone: contact ? c.phone : null })) };
  }));

  r.post('/v1/conversations/:id/calls', {
    config: { capability: 'calls.manage' },
    schema: {
      summary: "Call the customer: Twilio rings your phone, then connects them", tags, security, params: z.object({ id: z.uuid() }),
      body: z.object({ staffPhone: e164.optional().describe('Your phone, rung first (remembered)') }),
    },
  }, async (request, reply) => {
    const placed = await placeCall({ db, config }, request.principal, request.params.id, request.body.staffPhone ?? null);
    return reply.status(201).send(placed);
  });

  r.get('/v1/voice/settings', {
    config: { capability: 'calls.view' },
    schema: { summary: "The garage's voice settings", tags, security },
  }, async (request) => withTenant(db, request.orgId, (trx) => loadVoiceSettings(trx, request.orgId)));

  r.put('/v1/voice/settings', {
    config: { capability: 'settings.communication.manage' },
    schema: { summary: 'Change who the incoming-call webhook rings, for how long, and the voicemail greeting', tags, security, body: settingsSchema },
  }, async (request) => {
    const body = request.body;
    const ringNumbers = body.ringNumbers.map((n) => {
      const v = toE164(n);
      if (!v) throw new AppError('validation_failed', `body.ringNumbers: "${n}" is not a phone number.`);
      return v;
    });
    const sipAddress = body.sipAddress?.trim() || null;
    if (sipAddress && !/^sips?:[^\s<>"]+$/.test(sipAddress)) throw new AppError('validation_failed', 'body.sipAddress: must look like sip:user@host.');
    if (sipAddress && ringNumbers.length > 0) throw new AppError('validation_failed', 'body: ring either staff phones or a SIP address, not both.');
    const given = body.escalationNumber?.trim() || null;
    const escalation = given ? toE164(given) : null;
    if (given && !escalation) throw new AppError('validation_failed', `body.escalationNumber: "${given}" is not a phone number.`);
    if (escalation && ringNumbers.includes(escalation)) throw new AppError('validation_failed', 'body.escalationNumber: already on the ring list.');
    return withTenant(db, request.orgId, async (trx) => saveVoiceSettings(trx, request.principal, {
      ringNumbers: [...new Set(ringNumbers)], sipAddress, ringTimeoutSeconds: body.ringTimeoutSeconds, voicemailGreeting: body.voicemailGreeting.trim(),
      escalationNumber: body.escalationNumber === undefined ? (await loadVoiceSettings(trx, request.orgId)).escalationNumber : escalation,
    }));
  });
}
