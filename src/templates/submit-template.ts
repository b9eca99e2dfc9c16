/**
 * Creating an organisation's WhatsApp template: validated, submitted to Meta
 * for review (WhatsApp Business Management API), then stored with Meta's id
 * and status; the template-status webhook moves it on later.
 * With sandbox providers there is no Meta: the template is approved at once,
 * so the demo can send it.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Config } from '../config.js';
import type { Database, MessageTemplateTable } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { ProviderError } from '../channels/contract.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { submitWhatsAppTemplate, type TemplateCategory } from '../channels/whatsapp/whatsapp-templates.js';
import { templatePlaceholders } from '../domain/templates.js';
import { AppError } from '../server/errors.js';

export type NewTemplate = { name: string; language: string; category: TemplateCategory; body: string; examples: Record<string, string> };

/**
 * @throws AppError validation_failed (examples do not match the placeholders), conflict (name and language taken),
 *   provider_rejected (Meta refused the submission; nothing stored)
 */
export async function createTemplate(db: Kysely<Database>, config: Config, orgId: string, t: NewTemplate): Promise<Selectable<MessageTemplateTable>> {
  const placeholders = templatePlaceholders(t.body);
  const missing = placeholders.filter((p) => !t.examples[p]?.trim());
  const extra = Object.keys(t.examples).filter((k) => !placeholders.includes(k));
  if (missing.length || extra.length) {
    throw new AppError('validation_failed', `Examples must give one value per placeholder: ${[missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unknown ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}.`);
  }
  const existing = await withTenant(db, orgId, async (trx) => {
    const identity = await trx.selectFrom('channel_identities').select(['waba_id', 'access_token']).where('org_id', '=', orgId).where('provider', '=', 'whatsapp').executeTakeFirst();
    const taken = await trx.selectFrom('message_templates').select('id').where('org_id', '=', orgId).where('name', '=', t.name).where('language', '=', t.language).executeTakeFirst();
    return { identity, taken };
  });
  if (existing.taken) throw new AppError('conflict', `A template "${t.name}" in ${t.language} already exists.`);

  let submitted: { providerTemplateId: string | null; status: 'pending' | 'approved' | 'rejected' | 'paused' } = { providerTemplateId: null, status: 'approved' };
  if (config.OUTBOUND_PROVIDERS === 'live') {
    const { identity } = existing;
    if (!identity?.waba_id || !identity.access_token) throw new AppError('channel_unavailable', 'WhatsApp is not connected (no WhatsApp Business Account id or access token).');
    try {
      submitted = await submitWhatsAppTemplate(
        { baseUrl: config.WHATSAPP_API_BASE_URL, apiVersion: config.WHATSAPP_API_VERSION, wabaId: identity.waba_id, accessToken: secretBoxFor(config).open(identity.access_token), timeoutMs: config.PROVIDER_TIMEOUT_MS },
        t,
      );
    } catch (err) {
      if (err instanceof ProviderError) throw new AppError('provider_rejected', `Meta did not accept the template: ${err.message}`);
      throw err;
    }
  }
  return withTenant(db, orgId, async (trx) => {
    const row = await trx.insertInto('message_templates').values({
      org_id: orgId, name: t.name, language: t.language, category: t.category, body: t.body, placeholders,
      status: submitted.status, provider_template_id: submitted.providerTemplateId, rejection_reason: null,
    }).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('inbox_events').values({ org_id: orgId, type: 'settings.templates', conversation_id: null, payload: JSON.stringify({ name: t.name, status: row.status }) }).execute();
    return row;
  });
}
