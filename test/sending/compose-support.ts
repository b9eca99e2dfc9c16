/**
 * Helpers for send-rule tests: conversations arranged through the real
 * inbound webhooks, and the send API called over HTTP.
 */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.js';
import type { TestOrg } from '../support/fixtures.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { sendMessage, type ApiReply } from '../support/delivery.js';

let n = 0;

/** The customer sends a WhatsApp message `hoursAgo` hours ago (Meta's timestamp); returns the conversation id. */
export async function customerWhatsApps(server: TestServer, org: TestOrg, phone: string, hoursAgo: number, body = 'Hi there'): Promise<string> {
  const at = Math.floor((Date.now() - hoursAgo * 3_600_000) / 1000);
  const res = await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, {
    messages: [{ from: phone.slice(1), id: `wamid.compose${process.pid}x${++n}`, timestamp: String(at), type: 'text', text: { body } }],
  }));
  assert.equal(res.status, 200, res.body);
  const c = await server.db.selectFrom('conversations').select('id').where('org_id', '=', org.id)
    .where((eb) => eb.or([eb('contact_phone', '=', phone), eb('customer_id', 'in', eb.selectFrom('customers').select('id').where('phone', '=', phone))]))
    .executeTakeFirstOrThrow();
  return c.id;
}

/** Send on a conversation with the organisation's API token. */
export function send(server: TestServer, org: TestOrg, conversationId: string, body: Record<string, unknown>): Promise<ApiReply> {
  return sendMessage(server.baseUrl, org.apiToken, conversationId, body);
}

export async function messagesIn(server: TestServer, conversationId: string) {
  return server.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
}

export async function messageCount(server: TestServer): Promise<number> {
  return Number((await server.db.selectFrom('messages').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}
