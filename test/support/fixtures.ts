/**
 * Factories for tenant data. They run as the owner role (tests arrange
 * state across organisations); the code under test runs under RLS.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DeliveryStatus, WorkOrderStatus } from '../../src/db/schema.js';
import { createApiToken } from '../../src/api/api-tokens.js';

export type TestOrg = {
  id: string;
  apiToken: string;
  twilioNumber: string;
  twilioAuthToken: string;
  messagingServiceSid: string;
  whatsappPhoneNumberId: string;
};

let counter = 0;
/** A unique UK drama-range-like number for this test run (E.164). */
export function uniquePhone(): string {
  counter++;
  return `+4477009${String((process.pid * 131 + counter * 7919) % 100000).padStart(5, '0')}`;
}

export async function createOrg(
  db: Kysely<Database>,
  opts: { twilioNumber?: string; twilioAuthToken?: string; messagingServiceSid?: string; whatsappPhoneNumberId?: string } = {},
): Promise<TestOrg> {
  const suffix = randomBytes(4).toString('hex');
  const org = await db.insertInto('organisations').values({ name: `Garage ${suffix}`, slug: `garage-${suffix}` }).returning('id').executeTakeFirstOrThrow();
  const t: TestOrg = {
    id: org.id,
    apiToken: '',
    twilioNumber: opts.twilioNumber ?? `+1415555${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`,
    twilioAuthToken: opts.twilioAuthToken ?? `token-${suffix}`,
    messagingServiceSid: opts.messagingServiceSid ?? `MG${randomBytes(16).toString('hex')}`,
    whatsappPhoneNumberId: opts.whatsappPhoneNumberId ?? String(100000000000000 + Math.floor(Math.random() * 1e14)),
  };
  await db.insertInto('channel_identities').values([
    { org_id: t.id, provider: 'twilio', kind: 'phone_number', address: t.twilioNumber, display_number: t.twilioNumber, auth_token: t.twilioAuthToken },
    { org_id: t.id, provider: 'twilio', kind: 'messaging_service', address: t.messagingServiceSid, display_number: null, auth_token: t.twilioAuthToken },
    { org_id: t.id, provider: 'whatsapp', kind: 'whatsapp_phone_number', address: t.whatsappPhoneNumberId, display_number: t.twilioNumber, auth_token: null },
  ]).execute();
  t.apiToken = await createApiToken(db, t.id, 'test');
  return t;
}

export async function createCustomer(db: Kysely<Database>, orgId: string, opts: { name?: string; phone?: string | null } = {}) {
  return db.insertInto('customers').values({
    org_id: orgId,
    name: opts.name ?? 'Test Customer',
    phone: opts.phone === undefined ? uniquePhone() : opts.phone,
    email: null,
    portal_last_login_at: null,
  }).returning(['id', 'phone', 'name']).executeTakeFirstOrThrow();
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
