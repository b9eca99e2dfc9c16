/**
 * The benchmark's organisations as the application would create them:
 * `createOrganisation` (default roles), six staff users, a Twilio number and
 * Messaging Service, a WhatsApp number, consent defaults, three approved
 * WhatsApp templates and a few quick messages each. Runs as the owner
 * (the database's superuser), before the set-based generation in
 * `generate.ts` fills in customers, conversations and messages.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { createOrganisation } from '../../src/organisations/create-organisation.js';
import { STAFF } from './vocabulary.js';

/** How big one organisation is: conversations and messages (internal entries included). */
export type OrgSize = { conversations: number; messages: number };

export type OrgPlan = OrgSize & {
  /** Short label for reports, e.g. "target 1M". */
  label: string;
  slug: string;
  timeZone: string;
};

export type BenchOrg = OrgPlan & {
  id: string;
  /** Staff user ids, `STAFF` order; the first is "me", the user the benchmark signs in as. */
  staffIds: string[];
  meId: string;
};

const TEMPLATES = [
  { name: 'mot_reminder', body: 'Hi {{1}}, the MOT on your {{2}} is due on {{3}}. Reply to book.', placeholders: ['first name', 'vehicle', 'date'] },
  { name: 'ready_for_collection', body: 'Hi {{1}}, your {{2}} is ready for collection.', placeholders: ['first name', 'vehicle'] },
  { name: 'invoice_ready', body: 'Your invoice {{1}} is ready: {{2}}', placeholders: ['invoice number', 'link'] },
];

const QUICK_MESSAGES = [
  { title: 'Ready', body: 'Your car is ready for collection.' },
  { title: 'Opening hours', body: 'We are open 8am to 6pm, Monday to Friday, and 8am to 12pm on Saturdays.' },
  { title: 'Courtesy car', body: 'A courtesy car is available; please bring your driving licence.' },
];

/**
 * Create one organisation with its staff and channels.
 * @param n distinct small number per organisation of the run (used in provider addresses)
 */
export async function createBenchOrg(db: Kysely<Database>, plan: OrgPlan, n: number): Promise<BenchOrg> {
  const suffix = randomBytes(3).toString('hex');
  return db.transaction().execute(async (trx) => {
    const org = await createOrganisation(trx, { name: `${plan.label} garage`, slug: `${plan.slug}-${suffix}` });
    await trx.updateTable('organisations').set({ time_zone: plan.timeZone }).where('id', '=', org.id).execute();
    const staff = await trx.insertInto('staff_users').values(STAFF.map((s, i) => ({
      org_id: org.id,
      email: `${s.name.toLowerCase().replace(/\s+/g, '.')}.${i}@${plan.slug}-${suffix}.example`,
      name: s.name,
      role_id: org.roles[s.role],
      password_hash: null,
    }))).returning('id').execute();
    const number = `+4420${String(7946_0000 + n).padStart(8, '0')}`;
    await trx.insertInto('channel_identities').values([
      { org_id: org.id, provider: 'twilio', kind: 'phone_number', address: number, display_number: number, auth_token: `bench-${suffix}`, account_sid: `AC${randomBytes(16).toString('hex')}` },
      { org_id: org.id, provider: 'twilio', kind: 'messaging_service', address: `MG${randomBytes(16).toString('hex')}`, display_number: null, auth_token: `bench-${suffix}`, account_sid: `AC${randomBytes(16).toString('hex')}` },
      { org_id: org.id, provider: 'whatsapp', kind: 'whatsapp_phone_number', address: String(100_000_000_000_000 + n), display_number: number, auth_token: null, access_token: `EAAG${suffix}`, waba_id: String(200_000_000_000_000 + n) },
    ]).execute();
    await trx.insertInto('consent_defaults').values({ org_id: org.id, service_reminders: true, marketing: false, whatsapp: true }).execute();
    await trx.insertInto('message_templates').values(TEMPLATES.map((t) => ({
      org_id: org.id, name: t.name, category: 'UTILITY' as const, body: t.body, placeholders: t.placeholders, status: 'approved' as const,
      provider_template_id: null, rejection_reason: null,
    }))).execute();
    await trx.insertInto('quick_messages').values(QUICK_MESSAGES.map((q, position) => ({ org_id: org.id, ...q, position }))).execute();
    const staffIds = staff.map((s) => s.id);
    return { ...plan, id: org.id, staffIds, meId: staffIds[0]! };
  });
}
