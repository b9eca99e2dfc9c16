/**
 * Applies Meta's template review result to the organisation's template,
 * found by Meta's template id, or by name and language when the template was
 * created before it had one.
 */
import type { TenantTx } from '../db/tenant.js';
import { templateStatusFromMeta } from '../domain/template-status.js';

export type TemplateStatusUpdate = { providerTemplateId: string; name: string; language: string; event: string; reason: string | null };

/** @returns whether a template was updated */
export async function applyTemplateStatus(trx: TenantTx, orgId: string, u: TemplateStatusUpdate): Promise<boolean> {
  const status = templateStatusFromMeta(u.event);
  if (!status) return false;
  const updated = await trx.updateTable('message_templates')
    .set({ status, provider_template_id: u.providerTemplateId, rejection_reason: status === 'rejected' && u.reason && u.reason !== 'NONE' ? u.reason : null, updated_at: new Date() })
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('provider_template_id', '=', u.providerTemplateId), eb.and([eb('name', '=', u.name), eb('language', '=', u.language)])]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  // Open composers and the Templates settings page refetch on this.
  await trx.insertInto('inbox_events').values({ org_id: orgId, type: 'settings.templates', conversation_id: null, payload: JSON.stringify({ name: u.name, status }) }).execute();
  return true;
}
