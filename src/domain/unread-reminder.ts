/**
 * The unread-message reminder rule (spec: portal-messaging-fallback.txt,
 * "Enable unread message reminders"): when a staff message remains unread
 * after the organisation's delay (1–48 hours, default 4), the customer gets
 * one email, "You have an unread message about your vehicle", with a portal
 * link. Pure: the caller reads the facts from the database.
 */
import { consentGate, type ConsentValues } from './consent.js';
import type { MessageCategory } from '../db/schema.js';

export const REMINDER_SUBJECT = 'You have an unread message about your vehicle';

/**
 * How far past its due time a message is still reminded: a garage that turns
 * reminders on does not email customers about messages from months ago, and
 * a scan missed for a day (server down) still catches up.
 */
export const REMINDER_LOOKBACK_MS = 48 * 3_600_000;

/** When a message sent at `occurredAt` becomes due with a delay of `delayHours`. */
export function reminderDueAt(occurredAt: Date, delayHours: number): Date {
  return new Date(occurredAt.getTime() + delayHours * 3_600_000);
}

export type ReminderFacts = {
  /** The message itself was read (status read / read_at), or the customer read a later message, replied on any channel or opened the portal since. */
  readSince: boolean;
  customerEmail: string | null;
  /** The customer used the one-click unsubscribe of an earlier reminder. */
  unsubscribed: boolean;
  consents: ConsentValues;
  category: MessageCategory;
  hasActiveWorkOrder: boolean;
  /** The server can send email (SMTP_URL set). */
  emailConfigured: boolean;
};

export type SkipReason = 'read' | 'no_email' | 'unsubscribed' | 'consent' | 'email_not_configured';

export type ReminderDecision = { send: true } | { send: false; reason: SkipReason };

/**
 * Whether the reminder email goes out. A reminder is an email about the
 * message, so the message's consent category applies on the email channel
 * (transactional messages on an active work order are always allowed).
 */
export function reminderDecision(f: ReminderFacts): ReminderDecision {
  if (f.readSince) return { send: false, reason: 'read' };
  if (!f.customerEmail) return { send: false, reason: 'no_email' };
  if (f.unsubscribed) return { send: false, reason: 'unsubscribed' };
  const gate = consentGate({ channel: 'email', category: f.category, consents: f.consents, hasActiveWorkOrder: f.hasActiveWorkOrder, smsOptedOut: false });
  if (!gate.allowed) return { send: false, reason: 'consent' };
  if (!f.emailConfigured) return { send: false, reason: 'email_not_configured' };
  return { send: true };
}

/** The email text: the garage's name, the portal link, and how to stop reminders. */
export function reminderEmailText(input: { customerName: string; orgName: string; portalUrl: string; unsubscribeUrl: string }): string {
  const first = input.customerName.trim().split(/\s+/)[0] || 'there';
  return [
    `Hello ${first},`,
    '',
    `${input.orgName} sent you a message about your vehicle that you have not read yet.`,
    '',
    `Read it and reply here: ${input.portalUrl}`,
    '',
    `To stop these reminders: ${input.unsubscribeUrl}`,
  ].join('\n');
}
