/**
 * The portal's Communication Preferences (spec: whatsapp-consent.txt, "How
 * customers manage their own consent (portal)"): four toggles with
 * human-friendly labels; Work order updates is disabled and always on while
 * the customer has an active work order, with a tooltip explaining why
 * (transactional messages on an active work order are always allowed,
 * src/domain/consent.ts). Pure.
 */
import type { ConsentCategory } from '../db/schema.js';

export type PortalPreference = {
  category: ConsentCategory;
  label: string;
  /** What the customer sees as on: for a locked toggle, on. */
  granted: boolean;
  locked: boolean;
  /** Why the toggle is locked (its tooltip), or null. */
  lockedReason: string | null;
};

/** The toggles in the order the portal shows them, with the spec's labels. */
export const PREFERENCE_LABELS: ReadonlyArray<readonly [ConsentCategory, string]> = [
  ['transactional', 'Work order updates'],
  ['service_reminders', 'Service & MOT reminders'],
  ['marketing', 'Offers & promotions'],
  ['whatsapp', 'WhatsApp messages'],
];

export const WORK_ORDER_LOCK_REASON = 'Always on while you have an active work order, so we can keep you updated about your vehicle.';

/** The four toggles as the customer sees them. */
export function portalPreferences(consents: Record<ConsentCategory, boolean>, hasActiveWorkOrder: boolean): PortalPreference[] {
  return PREFERENCE_LABELS.map(([category, label]) => {
    const locked = category === 'transactional' && hasActiveWorkOrder;
    return { category, label, granted: locked || consents[category], locked, lockedReason: locked ? WORK_ORDER_LOCK_REASON : null };
  });
}
