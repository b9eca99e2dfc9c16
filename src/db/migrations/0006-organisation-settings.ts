/**
 * Organisation settings this round's features read (issues 11, 13, 15),
 * added in one migration so every feature reads the same columns:
 *
 * - `portal_notification_phone`: E.164 staff number that gets a short SMS
 *   alert for each new portal message (spec: portal-messages.txt, routing
 *   table "as SMS to the business number"); null = no alert.
 * - `portal_reply_sms`: "Also text portal replies" — a staff reply on the
 *   portal channel also texts the customer the portal link.
 * - `reminders_enabled`, `reminder_delay_hours` (1–48, default 4): unread
 *   message reminders (spec: portal-messaging-fallback.txt).
 * - `ai_instructions`: the garage's own instruction text for the AI
 *   receptionist ("we're closed Sundays", prices).
 * - `opening_hours`: free text shown to the AI receptionist and customers.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE organisations
      ADD COLUMN portal_notification_phone text,
      ADD COLUMN portal_reply_sms boolean NOT NULL DEFAULT false,
      ADD COLUMN reminders_enabled boolean NOT NULL DEFAULT false,
      ADD COLUMN reminder_delay_hours integer NOT NULL DEFAULT 4
        CONSTRAINT organisations_reminder_delay_hours_range CHECK (reminder_delay_hours BETWEEN 1 AND 48),
      ADD COLUMN ai_instructions text NOT NULL DEFAULT '',
      ADD COLUMN opening_hours text NOT NULL DEFAULT ''
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE organisations
      DROP COLUMN portal_notification_phone,
      DROP COLUMN portal_reply_sms,
      DROP COLUMN reminders_enabled,
      DROP COLUMN reminder_delay_hours,
      DROP COLUMN ai_instructions,
      DROP COLUMN opening_hours
  `.execute(db);
}
