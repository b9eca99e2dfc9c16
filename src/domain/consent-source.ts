/**
 * The source of a consent change in words, as the Communication Preferences
 * card and the consent history show it (spec: whatsapp-consent.txt: "Set by
 * customer via portal", "Set by staff", "Default"; issue 12 adds "WhatsApp
 * verification" and "Import").
 */
const LABELS: Record<string, string> = {
  org_default: 'Default',
  hardcoded_default: 'Default',
  staff_entry: 'Set by staff',
  portal_preference: 'Set by customer via portal',
  otp_verification: 'WhatsApp verification',
  import: 'Import',
  sms_keyword: 'Replied by SMS (STOP / START)',
  provider_error: 'Reported by the SMS provider',
};

/** @returns the words for `source`; an unknown source is shown as stored */
export function consentSourceLabel(source: string): string {
  return LABELS[source] ?? source;
}
