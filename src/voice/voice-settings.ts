/**
 * A garage's voice settings (issue 14 item 1): who the incoming-call TwiML
 * rings (up to ten staff phones in E.164, or one SIP address), how long it
 * rings (5–60 s, default 20), the voicemail greeting read to the caller,
 * and an optional escalation number (E.164, migration 0015) rung for as
 * long when nobody on the ring list answers, before voicemail — a call it
 * picks up ends as outcome `escalation`.
 * Stored in `voice_settings` (migration 0012); a garage without a row gets
 * the defaults: no ring targets, so callers go straight to voicemail.
 * Changed from the API and Settings > Voice; a save that changes anything
 * is in the staff audit log (`settings.voice`, before/after).
 */
import { recordAudit } from '../auth/audit.js';
import type { Principal } from '../auth/principal.js';
import type { TenantTx } from '../db/tenant.js';
import type { RingPlan } from '../webhooks/twilio/voice-twiml.js';

export type VoiceSettings = {
  ringNumbers: string[];
  sipAddress: string | null;
  ringTimeoutSeconds: number;
  voicemailGreeting: string;
  escalationNumber: string | null;
};

export const DEFAULT_VOICEMAIL_GREETING = 'Sorry, we cannot take your call right now. Please leave a message after the beep.';
const DEFAULTS: VoiceSettings = { ringNumbers: [], sipAddress: null, ringTimeoutSeconds: 20, voicemailGreeting: DEFAULT_VOICEMAIL_GREETING, escalationNumber: null };

export async function loadVoiceSettings(trx: TenantTx, orgId: string): Promise<VoiceSettings> {
  const row = await trx.selectFrom('voice_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!row) return { ...DEFAULTS };
  return { ringNumbers: row.ring_numbers, sipAddress: row.sip_address, ringTimeoutSeconds: row.ring_timeout_seconds, voicemailGreeting: row.voicemail_greeting, escalationNumber: row.escalation_number };
}

/**
 * Replace the principal's garage's voice settings (the caller validated
 * them), auditing the change when there is one.
 * @returns the settings as saved
 */
export async function saveVoiceSettings(trx: TenantTx, principal: Principal, s: VoiceSettings): Promise<VoiceSettings> {
  const orgId = principal.orgId;
  const before = await loadVoiceSettings(trx, orgId);
  const values = { ring_numbers: s.ringNumbers, sip_address: s.sipAddress, ring_timeout_seconds: s.ringTimeoutSeconds, voicemail_greeting: s.voicemailGreeting, escalation_number: s.escalationNumber };
  await trx.insertInto('voice_settings').values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...values, updated_at: new Date() })).execute();
  if (JSON.stringify(before) !== JSON.stringify(s)) {
    await recordAudit(trx, principal, { action: 'settings.voice', targetType: 'organisation', targetId: orgId, before, after: s });
  }
  return s;
}

/** What the incoming-call TwiML rings, from the settings. */
export function ringPlanOf(s: VoiceSettings): RingPlan {
  return { ringNumbers: s.ringNumbers, sipAddress: s.sipAddress, timeoutSeconds: s.ringTimeoutSeconds, escalationNumber: s.escalationNumber };
}
