/**
 * Factories for tenant data. They run as the owner role (tests arrange
 * state across organisations); the code under test runs under RLS.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DeliveryStatus, WorkOrderStatus } from '../../src/db/schema.js';
import { createApiToken } from '../../src/api/api-tokens.js';
import { withTenant } from '../../src/db/tenant.js';
import { createOrganisation } from '../../src/organisations/create-organisation.js';
import { createStaffUser } from '../../src/staff/create-staff-user.js';
import type { DefaultRoleKey } from '../../src/auth/capabilities.js';
import { createCustomer as createCustomerWithConsent } from '../../src/customers/create-customer.js';

export type TestOrg = {
  id: string;
  name: string;
  roles: Record<DefaultRoleKey, string>;
  apiToken: string;
  twilioNumber: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  messagingServiceSid: string;
  whatsappPhoneNumberId: string;
  whatsappNumber: string;
  whatsappAccessToken: string;
  wabaId: string;
  emailFrom: string;
};

let counter = 0;
/** A unique UK drama-range-like number for this test run (E.164). */
export function uniquePhone(): string {
  counter++;
  return `+4477009${String((process.pid * 131 + counter * 7919) % 100000).padStart(5, '0')}`;
}

let orgCounter = 0;

/**
 * An organisation with a Twilio number and Messaging Service, a WhatsApp
 * number (with business account and access token) and an email sender.
 * @param opts.smsNumber false: no Twilio number or service (SMS unavailable)
 */
export async function createOrg(
  db: Kysely<Database>,
  opts: { name?: string; twilioNumber?: string; twilioAuthToken?: string; messagingServiceSid?: string; whatsappPhoneNumberId?: string; wabaId?: string; sms?: boolean } = {},
): Promise<TestOrg> {
  const suffix = randomBytes(4).toString('hex');
  orgCounter++;
  const name = opts.name ?? `Garage ${suffix}`;
  const org = await db.transaction().execute((trx) => createOrganisation(trx, { name, slug: `garage-${suffix}` }));
  const t: TestOrg = {
    id: org.id,
    name,
    roles: org.roles,
    apiToken: '',
    twilioNumber: opts.twilioNumber ?? `+1415${String((process.pid * 17 + orgCounter * 7919) % 10_000_000).padStart(7, '0')}`,
    twilioAccountSid: `AC${randomBytes(16).toString('hex')}`,
    twilioAuthToken: opts.twilioAuthToken ?? `token-${suffix}`,
    messagingServiceSid: opts.messagingServiceSid ?? `MG${randomBytes(16).toString('hex')}`,
    whatsappPhoneNumberId: opts.whatsappPhoneNumberId ?? String(100000000000000 + Math.floor(Math.random() * 1e14)),
    whatsappNumber: '+447700900100',
    whatsappAccessToken: `EAAG${suffix}`,
    wabaId: opts.wabaId ?? String(200000000000000 + Math.floor(Math.random() * 1e14)),
    emailFrom: `workshop-${suffix}@garage.example`,
  };
  const twilio = { auth_token: t.twilioAuthToken, account_sid: t.twilioAccountSid };
  await db.insertInto('channel_identities').values([
    ...(opts.sms === false ? [] : [
      { org_id: t.id, provider: 'twilio' as const, kind: 'phone_number' as const, address: t.twilioNumber, display_number: t.twilioNumber, ...twilio },
      { org_id: t.id, provider: 'twilio' as const, kind: 'messaging_service' as const, address: t.messagingServiceSid, display_number: null, ...twilio },
    ]),
    { org_id: t.id, provider: 'whatsapp', kind: 'whatsapp_phone_number', address: t.whatsappPhoneNumberId, display_number: t.whatsappNumber, auth_token: null, access_token: t.whatsappAccessToken, waba_id: t.wabaId },
    { org_id: t.id, provider: 'smtp', kind: 'email_address', address: t.emailFrom, display_number: null, auth_token: null },
  ]).execute();
  t.apiToken = await createApiToken(db, t.id, 'test');
  return t;
}

/** A customer with their four consent rows, created as the application does. */
export async function createCustomer(db: Kysely<Database>, orgId: string, opts: { name?: string; phone?: string | null; email?: string | null } = {}) {
  const phone = opts.phone === undefined ? uniquePhone() : opts.phone;
  const name = opts.name ?? 'Test Customer';
  const id = await withTenant(db, orgId, (trx) => createCustomerWithConsent(trx, orgId, { name, phone, email: opts.email ?? null }));
  return { id, phone, name };
}

export async function createWorkOrder(db: Kysely<Database>, orgId: string, customerId: string, status: WorkOrderStatus = 'in_progress') {
  return db.insertInto('work_orders').values({
    org_id: orgId,
    customer_id: customerId,
    vehicle_id: null,
    number: `WO-${randomBytes(3).toString('hex')}`,
    title: 'Brake pads',
    status,
  }).returning(['id', 'number']).executeTakeFirstOrThrow();
}

/** An outbound message already handed to the provider, awaiting callbacks. */
export async function createOutboundMessage(
  db: Kysely<Database>,
  orgId: string,
  opts: { customerId: string; provider: 'twilio' | 'whatsapp'; providerMessageId: string; status?: DeliveryStatus },
) {
  const conversation = await db.insertInto('conversations').values({
    org_id: orgId,
    customer_id: opts.customerId,
    contact_phone: null,
    contact_name: null,
    last_channel: null,
    last_activity_at: new Date(),
    assignee_id: null,
    work_order_id: null,
    context_badge: null,
  }).onConflict((oc) => oc.columns(['org_id', 'customer_id']).where('customer_id', 'is not', null).doUpdateSet({ org_id: orgId }))
    .returning('id').executeTakeFirstOrThrow();
  return db.insertInto('messages').values({
    org_id: orgId,
    conversation_id: conversation.id,
    direction: 'outbound',
    channel: opts.provider === 'twilio' ? 'sms' : 'whatsapp',
    body: 'Your car is ready',
    media: '[]',
    metadata: '{}',
    status: opts.status ?? 'sent',
    failure_reason: null,
    provider_error_code: null,
    provider: opts.provider,
    provider_message_id: opts.providerMessageId,
    cost: null,
    cost_currency: null,
    sender_user_id: null,
    notification_type: null,
    occurred_at: new Date(),
  }).returning(['id', 'conversation_id']).executeTakeFirstOrThrow();
}

export const STAFF_PASSWORD = 'correct horse battery';

/** A staff user with a default role and password `STAFF_PASSWORD`. */
export async function createStaff(db: Kysely<Database>, org: TestOrg, role: DefaultRoleKey, name = `${role} ${randomBytes(2).toString('hex')}`) {
  const email = `${role}.${randomBytes(4).toString('hex')}@garage.example`;
  const id = await withTenant(db, org.id, (trx) => createStaffUser(trx, org.id, { email, name, roleId: org.roles[role], password: STAFF_PASSWORD }));
  return { id, email, name, role };
}
