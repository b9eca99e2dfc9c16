/**
 * Consent rules for outbound messages (spec: whatsapp-consent.txt).
 *
 * Four independent categories per customer: transactional, service
 * reminders, marketing, and WhatsApp (a master switch for the channel).
 * SMS opt-out (STOP keywords, provider-protocols.md §5) is kept per phone
 * number, apart from these categories.
 */
import type { ConsentCategory, MessageCategory } from '../db/schema.js';
import type { OutboundChannel } from './reply-channel.js';

export type ConsentValues = Record<ConsentCategory, boolean>;

/**
 * Safe defaults for a customer created before the org saved any defaults
 * (spec: "transactional=on, service_reminders=on, marketing=off, whatsapp=on").
 * Frozen; spread it to get a mutable copy.
 */
export const HARDCODED_CONSENT_DEFAULTS: Readonly<ConsentValues> = Object.freeze({
  transactional: true,
  service_reminders: true,
  marketing: false,
  whatsapp: true,
});

/** An org's saved default consent toggles (the transactional toggle cannot be turned off, so it has none). */
export type OrgConsentDefaults = { serviceReminders: boolean; marketing: boolean; whatsapp: boolean };

/**
 * The consent a new customer starts with: the org's defaults, or the
 * hard-coded safe defaults when the org has none (spec: "Set default consent
 * preferences for new customers"). Transactional is always granted.
 * @returns a fresh object each call, and the `source` to stamp on the rows and audit entries
 */
export function initialConsents(orgDefaults: OrgConsentDefaults | null): { values: ConsentValues; source: 'org_default' | 'hardcoded_default' } {
  if (!orgDefaults) return { values: { ...HARDCODED_CONSENT_DEFAULTS }, source: 'hardcoded_default' };
  return {
    values: {
      transactional: true,
      service_reminders: orgDefaults.serviceReminders,
      marketing: orgDefaults.marketing,
      whatsapp: orgDefaults.whatsapp,
    },
    source: 'org_default',
  };
}

export type ConsentGateInput = {
  channel: OutboundChannel;
  category: MessageCategory;
  consents: ConsentValues;
  /** Whether the customer has a work order that is not completed or cancelled. */
  hasActiveWorkOrder: boolean;
  /** Whether the customer's phone number has opted out of SMS (STOP). */
  smsOptedOut: boolean;
};

export type ConsentRule =
  | 'whatsapp_consent_revoked'
  | 'sms_opted_out'
  | 'marketing_not_opted_in'
  | 'service_reminders_revoked'
  | 'transactional_revoked';

export type ConsentGateResult = { allowed: true } | { allowed: false; rule: ConsentRule; reason: string };

/** The sentence staff see for each blocking rule. */
export const CONSENT_REASONS: Record<ConsentRule, string> = {
  whatsapp_consent_revoked: 'The customer has turned off WhatsApp messages, so nothing can be sent to them on WhatsApp.',
  sms_opted_out: 'The customer has opted out of SMS (replied STOP), so nothing can be sent to them by SMS until they reply START.',
  marketing_not_opted_in: 'The customer has not opted in to offers and promotions, so marketing messages cannot be sent to them.',
  service_reminders_revoked: 'The customer has turned off service and MOT reminders.',
  transactional_revoked: 'The customer has turned off work order updates and has no active work order.',
};

/**
 * Whether an outbound message may be sent (spec: whatsapp-consent.txt).
 * Rules in precedence order; the first that blocks is reported:
 * 1. Channel rules, whatever the category:
 *    - WhatsApp consent false blocks every WhatsApp message (automated and
 *      staff alike, even transactional on an active work order);
 *    - an SMS opt-out blocks every SMS (the provider refuses them anyway, 21610).
 * 2. Category rules, on every channel (portal and email included):
 *    - marketing needs explicit opt-in;
 *    - service reminders need their consent;
 *    - transactional is always allowed while the customer has an active work
 *      order, otherwise it needs the transactional consent.
 * SMS opt-out never affects other channels, and WhatsApp consent never
 * affects other channels.
 * @returns `{ allowed: true }`, or the blocking rule with a sentence for staff
 */
export function consentGate(input: ConsentGateInput): ConsentGateResult {
  const block = (rule: ConsentRule): ConsentGateResult => ({ allowed: false, rule, reason: CONSENT_REASONS[rule] });
  const { channel, category, consents } = input;
  if (channel === 'whatsapp' && !consents.whatsapp) return block('whatsapp_consent_revoked');
  if (channel === 'sms' && input.smsOptedOut) return block('sms_opted_out');
  switch (category) {
    case 'marketing':
      return consents.marketing ? { allowed: true } : block('marketing_not_opted_in');
    case 'service_reminders':
      return consents.service_reminders ? { allowed: true } : block('service_reminders_revoked');
    case 'transactional':
      return input.hasActiveWorkOrder || consents.transactional ? { allowed: true } : block('transactional_revoked');
  }
}
