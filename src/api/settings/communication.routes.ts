/**
 * Settings > Communication (capability `settings.communication.manage`):
 * - `GET /v1/settings/communication`: every section;
 * - `PUT /v1/settings/communication`: save any subset of sections (each one
 *   whole), audited with before/after. Bad input answers 400
 *   `validation_failed` naming the field, and nothing is saved.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { toE164 } from '../../domain/phone.js';
import { loadCommunicationSettings, saveCommunicationSettings } from '../../settings/communication-settings.js';

/** Reminder delay bounds in hours (spec: portal-messaging-fallback.txt, "valid range 1-48"). */
export const REMINDER_DELAY_HOURS = { min: 1, max: 48 } as const;

const consentDefaults = z.object({ serviceReminders: z.boolean(), marketing: z.boolean(), whatsapp: z.boolean() });
const reminders = z.object({
  enabled: z.boolean(),
  delayHours: z.number().int('a whole number of hours').min(REMINDER_DELAY_HOURS.min, 'at least 1 hour').max(REMINDER_DELAY_HOURS.max, 'at most 48 hours'),
});
const ai = z.object({ enabled: z.boolean(), instructions: z.string().max(4000), openingHours: z.string().max(1000) });
const portal = z.object({
  notificationPhone: z.string().trim().nullable().transform((v, ctx) => {
    if (v === null || v === '') return null;
    const e164 = v.startsWith('+') ? toE164(v) : null;
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'a phone number in international format, e.g. +447700900123' });
      return z.NEVER;
    }
    return e164;
  }),
  alsoTextReplies: z.boolean(),
});

const settingsSchema = z.object({
  consentDefaults: consentDefaults.extend({ transactional: z.literal(true) }),
  reminders,
  ai,
  portal: z.object({ notificationPhone: z.string().nullable(), alsoTextReplies: z.boolean() }),
});

export async function communicationSettingsRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = { tags: ['settings'], security: [{ bearerAuth: [] }] };
  r.get('/v1/settings/communication', {
    config: { capability: 'settings.communication.manage' },
    schema: { ...meta, summary: 'Communication settings', response: { 200: settingsSchema } },
  }, async (request) => withTenant(db, request.orgId, (trx) => loadCommunicationSettings(trx, request.orgId)));

  r.put('/v1/settings/communication', {
    config: { capability: 'settings.communication.manage' },
    schema: {
      ...meta,
      summary: 'Save communication settings',
      description: 'Send the sections to save, each whole. Consent defaults apply to customers created afterwards only. Work order updates (transactional) cannot be turned off.',
      body: z.object({ consentDefaults: consentDefaults.optional(), reminders: reminders.optional(), ai: ai.optional(), portal: portal.optional() }).strict(),
      response: { 200: settingsSchema },
    },
  }, async (request) => withTenant(db, request.orgId, (trx) => saveCommunicationSettings(trx, request.principal, request.body)));
}
