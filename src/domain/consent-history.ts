/**
 * Consent at an instant, reconstructed from the immutable audit log
 * (spec: whatsapp-consent.txt, "Historical state can be reconstructed by
 * replaying entries for a customer and category"; "I need to prove a
 * customer consented to WhatsApp at a specific point in time").
 *
 * Pure: the caller loads the customer's entries; the rule replays them in
 * write order (created_at, then seq) up to and including `at`.
 */
import type { ConsentCategory } from '../db/schema.js';

export const CONSENT_CATEGORIES: readonly ConsentCategory[] = ['transactional', 'service_reminders', 'marketing', 'whatsapp'];

export type ConsentLogEntry = {
  category: ConsentCategory | 'sms';
  action: 'granted' | 'revoked';
  source: string;
  createdAt: Date;
  /** Write order within equal timestamps (bigint as a decimal string or number). */
  seq: string | number;
};

/** A category's state at the instant: granted or not, and the entry that set it; null before the customer had a row. */
export type ConsentAt = { granted: boolean; source: string; since: Date } | null;

const bySeq = (a: ConsentLogEntry, b: ConsentLogEntry) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0);

/**
 * @param entries the customer's audit entries, any order (SMS opt-out entries are ignored: they belong to a phone number)
 * @param at the instant (inclusive)
 * @returns each category's state at `at`
 */
export function consentStateAt(entries: readonly ConsentLogEntry[], at: Date): Record<ConsentCategory, ConsentAt> {
  const state: Record<ConsentCategory, ConsentAt> = { transactional: null, service_reminders: null, marketing: null, whatsapp: null };
  for (const e of [...entries].sort(bySeq)) {
    if (e.createdAt.getTime() > at.getTime()) break;
    if (e.category === 'sms') continue;
    state[e.category] = { granted: e.action === 'granted', source: e.source, since: e.createdAt };
  }
  return state;
}
