/**
 * Syncing template review statuses on demand (Settings › Templates "Sync
 * with Meta"): Meta's list of the business account's templates, applied with
 * the same rule as the `message_template_status_update` webhook. With
 * sandbox providers there is no Meta, and nothing changes.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { ProviderError } from '../channels/contract.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { listWhatsAppTemplates } from '../channels/whatsapp/whatsapp-templates.js';
import { applyTemplateStatus } from '../ingest/template-status.js';
import { AppError } from '../server/errors.js';

/**
 * @returns how many of the organisation's templates changed
 * @throws AppError channel_unavailable (WhatsApp not connected), provider_rejected (Meta refused the call)
 */
export async function syncTemplateStatuses(db: Kysely<Database>, config: Config, orgId: string): Promise<number> {
  if (config.OUTBOUND_PROVIDERS !== 'live') return 0;
  const identity = await withTenant(db, orgId, (trx) => trx.selectFrom('channel_identities').select(['waba_id', 'access_token'])
    .where('org_id', '=', orgId).where('provider', '=', 'whatsapp').executeTakeFirst());
  if (!identity?.waba_id || !identity.access_token) throw new AppError('channel_unavailable', 'WhatsApp is not connected (no WhatsApp Business Account id or access token).');
  let listed;
  try {
    listed = await listWhatsAppTemplates({
      baseUrl: config.WHATSAPP_API_BASE_URL, apiVersion: config.WHATSAPP_API_VERSION, wabaId: identity.waba_id,
      accessToken: secretBoxFor(config).open(identity.access_token), timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof ProviderError) throw new AppError('provider_rejected', `Meta did not list the templates: ${err.message}`);
    throw err;
  }
  return withTenant(db, orgId, async (trx) => {
    let changed = 0;
    for (const t of listed) {
      const current = await trx.selectFrom('message_templates').select(['status', 'rejection_reason']).where('org_id', '=', orgId)
        .where((eb) => eb.or([eb('provider_template_id', '=', t.providerTemplateId), eb.and([eb('name', '=', t.name), eb('language', '=', t.language)])])).executeTakeFirst();
      if (!current) continue;
      const before = JSON.stringify(current);
      if (await applyTemplateStatus(trx, orgId, { providerTemplateId: t.providerTemplateId, name: t.name, language: t.language, event: t.status, reason: t.rejectedReason })) {
        const after = await trx.selectFrom('message_templates').select(['status', 'rejection_reason']).where('org_id', '=', orgId).where('provider_template_id', '=', t.providerTemplateId).executeTakeFirst();
        if (JSON.stringify(after) !== before) changed++;
      }
    }
    return changed;
  });
}
