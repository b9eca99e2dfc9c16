/**
 * Settings > Communication of one organisation (spec: whatsapp-consent.txt
 * "Set default consent preferences for new customers",
 * portal-messaging-fallback.txt "Enable unread message reminders"):
 * default consent for new customers, unread-message reminders, the AI
 * receptionist switch with the garage's instructions and opening hours, and
 * the portal notification number. Each section is read and saved on its
 * own; a save that changes a section writes one staff audit entry with the
 * section's before and after.
 */
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../auth/audit.js';
import type { TenantTx } from '../db/tenant.js';
import { HARDCODED_CONSENT_DEFAULTS } from '../domain/consent.js';

export type CommunicationSettings = {
  /** Defaults for customers created from now on; `transactional` is always true (the spec's disabled toggle). */
  consentDefaults: { transactional: true; serviceReminders: boolean; marketing: boolean; whatsapp: boolean };
  reminders: { enabled: boolean; delayHours: number };
  ai: { enabled: boolean; instructions: string; openingHours: string };
  /** `notificationPhone`: E.164 or null; `alsoTextReplies`: "Also text portal replies". */
  portal: { notificationPhone: string | null; alsoTextReplies: boolean };
};

export type Section = keyof CommunicationSettings;
export type SettingsPatch = {
  consentDefaults?: Omit<CommunicationSettings['consentDefaults'], 'transactional'>;
  reminders?: CommunicationSettings['reminders'];
  ai?: CommunicationSettings['ai'];
  portal?: CommunicationSettings['portal'];
};

/** The organisation's communication settings; consent defaults fall back to the spec's safe defaults when never saved. */
export async function loadCommunicationSettings(trx: TenantTx, orgId: string): Promise<CommunicationSettings> {
  const org = await trx.selectFrom('organisations')
    .select(['reminders_enabled', 'reminder_delay_hours', 'ai_enabled', 'ai_instructions', 'opening_hours', 'portal_notification_phone', 'portal_reply_sms'])
    .where('id', '=', orgId).executeTakeFirstOrThrow();
  const defaults = await trx.selectFrom('consent_defaults').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  return {
    consentDefaults: {
      transactional: true,
      serviceReminders: defaults?.service_reminders ?? HARDCODED_CONSENT_DEFAULTS.service_reminders,
      marketing: defaults?.marketing ?? HARDCODED_CONSENT_DEFAULTS.marketing,
      whatsapp: defaults?.whatsapp ?? HARDCODED_CONSENT_DEFAULTS.whatsapp,
    },
    reminders: { enabled: org.reminders_enabled, delayHours: org.reminder_delay_hours },
    ai: { enabled: org.ai_enabled, instructions: org.ai_instructions, openingHours: org.opening_hours },
    portal: { notificationPhone: org.portal_notification_phone, alsoTextReplies: org.portal_reply_sms },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Save the sections present in `patch` (already validated), audit each one that changed.
 * Consent defaults never touch existing customers' consent (spec: "changes do not apply retroactively").
 * @returns the settings after the save
 */
export async function saveCommunicationSettings(trx: TenantTx, principal: Principal, patch: SettingsPatch): Promise<CommunicationSettings> {
  const orgId = principal.orgId;
  const before = await loadCommunicationSettings(trx, orgId);
  const { consentDefaults: cd, reminders, ai, portal } = patch;
  if (cd) {
    await trx.insertInto('consent_defaults')
      .values({ org_id: orgId, service_reminders: cd.serviceReminders, marketing: cd.marketing, whatsapp: cd.whatsapp })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ service_reminders: cd.serviceReminders, marketing: cd.marketing, whatsapp: cd.whatsapp, updated_at: new Date() }))
      .execute();
  }
  const org = {
    ...(reminders ? { reminders_enabled: reminders.enabled, reminder_delay_hours: reminders.delayHours } : {}),
    ...(ai ? { ai_enabled: ai.enabled, ai_instructions: ai.instructions, opening_hours: ai.openingHours } : {}),
    ...(portal ? { portal_notification_phone: portal.notificationPhone, portal_reply_sms: portal.alsoTextReplies } : {}),
  };
  if (Object.keys(org).length) await trx.updateTable('organisations').set(org).where('id', '=', orgId).execute();
  const after = await loadCommunicationSettings(trx, orgId);
  for (const section of Object.keys(patch) as Section[]) {
    if (same(before[section], after[section])) continue;
    await recordAudit(trx, principal, {
      action: `settings.communication.${section}`, targetType: 'organisation', targetId: orgId, before: before[section], after: after[section],
    });
  }
  return after;
}
