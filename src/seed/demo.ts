/**
 * Seeds the demo garage into an empty database: the organisation, its
 * Twilio number and Messaging Service, its WhatsApp number, an email sender,
 * two approved WhatsApp templates, 60 customers (with consent rows) with
 * vehicles and work orders, one staff user per default role, a morning's conversation history (with
 * outbound messages awaiting delivery callbacks) and an API token.
 * Runs in one transaction, so a crash leaves the database empty and the
 * next start seeds again; everything after the organisation and its roles
 * is written inside the new tenant (`enterTenant`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { priceDemoHistory } from './demo-spend.js';
import type { Database } from '../db/schema.js';
import { createApiToken } from '../api/api-tokens.js';
import { createCustomer } from '../customers/create-customer.js';
import { createOrganisation } from '../organisations/create-organisation.js';
import { createStaffUser } from '../staff/create-staff-user.js';
import { enterTenant } from '../db/tenant.js';
import { templatePlaceholders } from '../domain/templates.js';
import { DEMO_CUSTOMER_COUNT, DEMO_EMAIL_FROM, DEMO_MESSAGING_SERVICE_SID, DEMO_NUMBER, DEMO_OPENING_HOURS, DEMO_ORG, DEMO_STAFF, DEMO_STAFF_PASSWORD, DEMO_TEMPLATES, DEMO_WABA_ID, DEMO_WHATSAPP_PHONE_NUMBER_ID, demoCustomer } from './demo-data.js';
import { seedHistory } from './demo-history.js';
import { seedInboxExtras } from './demo-inbox.js';

export type DemoSeed = {
  orgId: string;
  orgName: string;
  apiToken: string;
  tokenFile: string;
  customers: number;
  staff: ReadonlyArray<{ email: string; role: string }>;
  workOrders: number;
  conversations: number;
  messages: number;
};

/** File in DATA_DIR holding the demo API token, read by `npm run replay`. */
export function demoTokenFile(config: Config): string {
  return join(config.DATA_DIR, 'demo-api-token');
}

/** @returns what was created, or null when the database already has an organisation */
export async function seedDemoIfEmpty(db: Kysely<Database>, config: Config): Promise<DemoSeed | null> {
  const seeded = await db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
    if (any) return null;
    const org = await createOrganisation(trx, DEMO_ORG);
    // The rest is the garage's own data: written as torqueflow_app, bound to it (tables the owner is barred from: migration 0014).
    await enterTenant(trx, org.id);
    if (config.DEMO_AI_ENABLED) await trx.updateTable('organisations').set({ ai_enabled: true, opening_hours: DEMO_OPENING_HOURS }).where('id', '=', org.id).execute();
    const staffIds: Record<string, string> = {};
    for (const u of DEMO_STAFF) {
      staffIds[u.role] = await createStaffUser(trx, org.id, { email: u.email, name: u.name, roleId: org.roles[u.role], password: DEMO_STAFF_PASSWORD });
    }
    const box = secretBoxFor(config);
    await trx.insertInto('channel_identities').values([
      { org_id: org.id, provider: 'twilio', kind: 'phone_number', address: DEMO_NUMBER, display_number: DEMO_NUMBER, auth_token: box.seal(config.DEMO_TWILIO_AUTH_TOKEN) },
      { org_id: org.id, provider: 'twilio', kind: 'messaging_service', address: DEMO_MESSAGING_SERVICE_SID, display_number: null, auth_token: box.seal(config.DEMO_TWILIO_AUTH_TOKEN) },
      { org_id: org.id, provider: 'whatsapp', kind: 'whatsapp_phone_number', address: DEMO_WHATSAPP_PHONE_NUMBER_ID, display_number: DEMO_NUMBER, auth_token: null, waba_id: DEMO_WABA_ID },
      { org_id: org.id, provider: 'smtp', kind: 'email_address', address: DEMO_EMAIL_FROM, display_number: null, auth_token: null },
    ]).execute();
    await trx.insertInto('message_templates').values(DEMO_TEMPLATES.map((t) => ({ org_id: org.id, ...t, placeholders: templatePlaceholders(t.body), status: 'approved' as const, provider_template_id: null, rejection_reason: null }))).execute();

    let workOrders = 0;
    const customerIds: string[] = [];
    for (let i = 0; i < DEMO_CUSTOMER_COUNT; i++) {
      const c = demoCustomer(i);
      const customerId = await createCustomer(trx, org.id, { name: c.name, phone: c.phone, email: c.email });
      customerIds.push(customerId);
      const vehicle = await trx.insertInto('vehicles').values({ org_id: org.id, customer_id: customerId, ...c.vehicle }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('work_orders').values(c.workOrders.map((w) => ({ org_id: org.id, customer_id: customerId, vehicle_id: vehicle.id, ...w }))).execute();
      workOrders += c.workOrders.length;
    }
    const history = await seedHistory(trx, org.id, customerIds);
    await seedInboxExtras(trx, org.id, [staffIds.service_advisor!, staffIds.manager!]);
    const apiToken = await createApiToken(trx, org.id, 'demo');
    await priceDemoHistory(trx, org.id, config.MESSAGE_PRICES);
    return { orgId: org.id, apiToken, workOrders, ...history };
  });
  if (!seeded) return null;
  const tokenFile = demoTokenFile(config);
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(tokenFile, `${seeded.apiToken}\n`, { mode: 0o600 });
  return { ...seeded, orgName: DEMO_ORG.name, tokenFile, customers: DEMO_CUSTOMER_COUNT, staff: DEMO_STAFF };
}
