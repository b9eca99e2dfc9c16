/**
 * Settings > Channels (capability `settings.communication.manage`): the
 * garage's provider connections (src/settings/channel-connections.ts).
 * - `GET /v1/settings/channels`: connections with secrets masked, and the webhook addresses;
 * - `POST /v1/settings/channels/twilio/check` {accountSid, authToken?}: the account's numbers, nothing saved;
 * - `PUT /v1/settings/channels/twilio`: verify with Twilio, then save;
 * - `PUT /v1/settings/channels/whatsapp`: verify with the Graph API, then save;
 * - `PUT /v1/settings/channels/email` {fromAddress}: the garage's sender address;
 * - `DELETE /v1/settings/channels/{twilio|whatsapp|email}`: disconnect.
 * Secrets are write-only (leave one out to keep the stored value). Every
 * save is in the staff audit log with the masked before/after.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { secretBoxFor } from '../../channels/credentials/secret-box.js';
import { toE164 } from '../../domain/phone.js';
import { loadChannelsView } from '../../settings/channel-view.js';
import { checkTwilio, connectTwilio, connectWhatsApp, disconnectChannel, setEmailSender } from '../../settings/channel-connections.js';

const secret = z.string().trim().min(1).max(500);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const accountSid = z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hexadecimal characters, from the Twilio Console');

const twilioBody = z.object({
  accountSid,
  authToken: z.preprocess(blankToUndefined, secret.optional()),
  apiKeySid: z.preprocess(blankToNull, z.string().trim().regex(/^SK[0-9a-fA-F]{32}$/, 'SK followed by 32 hexadecimal characters').nullable()).default(null),
  apiKeySecret: z.preprocess(blankToUndefined, secret.optional()),
  phoneNumber: z.preprocess(blankToNull, z.string().trim().nullable().transform((v, ctx) => {
    if (v === null) return null;
    const e164 = v.startsWith('+') ? toE164(v) : null;
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'a phone number in international format, e.g. +447700900123' });
      return z.NEVER;
    }
    return e164;
  })).default(null),
  messagingServiceSid: z.preprocess(blankToNull, z.string().trim().regex(/^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hexadecimal characters').nullable()).default(null),
}).strict();

const whatsappBody = z.object({
  phoneNumberId: z.string().trim().regex(/^\d{5,20}$/, 'the digits of the Phone number ID in WhatsApp Manager'),
  wabaId: z.string().trim().regex(/^\d{5,20}$/, 'the digits of the WhatsApp Business Account ID'),
  accessToken: z.preprocess(blankToUndefined, secret.optional()),
}).strict();

const masked = z.object({ set: z.literal(true), last4: z.string() });
const viewSchema = z.object({
  webhooks: z.object({ twilioSms: z.string(), twilioStatus: z.string(), twilioVoice: z.string(), whatsapp: z.string(), whatsappVerifyToken: z.string() }),
  twilio: z.object({
    accountSid: z.string(), authToken: masked, apiKeySid: z.string().nullable(), apiKeySecret: masked.nullable(),
    phoneNumber: z.string().nullable(), messagingServiceSid: z.string().nullable(),
  }).nullable(),
  whatsapp: z.object({ phoneNumberId: z.string(), wabaId: z.string(), displayNumber: z.string().nullable(), accessToken: masked }).nullable(),
  email: z.object({ fromAddress: z.string() }).nullable(),
});

export async function channelSettingsRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = { tags: ['settings'], security: [{ bearerAuth: [] }] };
  const guard = { capability: 'settings.communication.manage' } as const;

  r.get('/v1/settings/channels', { config: guard, schema: { ...meta, summary: 'Connected channels (secrets masked) and webhook addresses', response: { 200: viewSchema } } },
    async (request) => withTenant(deps.db, request.orgId, (trx) => loadChannelsView(trx, request.orgId, secretBoxFor(deps.config), deps.config)));

  r.post('/v1/settings/channels/twilio/check', {
    config: guard,
    schema: {
      ...meta, summary: 'Check Twilio credentials and list the account\'s numbers (nothing is saved)',
      body: z.object({ accountSid, authToken: z.preprocess(blankToUndefined, secret.optional()) }).strict(),
      response: { 200: z.object({ numbers: z.array(z.object({ phoneNumber: z.string(), friendlyName: z.string(), sms: z.boolean(), voice: z.boolean() })) }) },
    },
  }, async (request) => ({ numbers: await checkTwilio(deps, request.orgId, request.body) }));

  r.put('/v1/settings/channels/twilio', {
    config: guard,
    schema: {
      ...meta, summary: 'Connect Twilio (verified with Twilio before saving)',
      description: 'The Auth Token is required (it also checks webhook signatures); an API key (SK…) and secret, when given, are used to send instead. Give the garage\'s number (one of the account\'s), a Messaging Service SID, or both. Refused credentials answer 422 provider_credentials_rejected and nothing is saved.',
      body: twilioBody, response: { 200: viewSchema },
    },
  }, async (request) => connectTwilio(deps, request.principal, request.body));

  r.put('/v1/settings/channels/whatsapp', {
    config: guard,
    schema: { ...meta, summary: 'Connect a WhatsApp Cloud API number (verified with the Graph API before saving)', body: whatsappBody, response: { 200: viewSchema } },
  }, async (request) => connectWhatsApp(deps, request.principal, request.body));

  r.put('/v1/settings/channels/email', {
    config: guard,
    schema: { ...meta, summary: 'Set the garage\'s sender email address', body: z.object({ fromAddress: z.string().trim().email('an email address, e.g. service@garage.example').max(320) }).strict(), response: { 200: viewSchema } },
  }, async (request) => setEmailSender(deps, request.principal, request.body.fromAddress));

  r.delete('/v1/settings/channels/:provider', {
    config: guard,
    schema: { ...meta, summary: 'Disconnect a channel', params: z.object({ provider: z.enum(['twilio', 'whatsapp', 'email']) }), response: { 200: viewSchema } },
  }, async (request) => disconnectChannel(deps, request.principal, request.params.provider === 'email' ? 'smtp' : request.params.provider));
}
