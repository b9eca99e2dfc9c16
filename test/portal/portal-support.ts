/**
 * Helpers for the portal tests: a customer with a conversation (arranged
 * through the real WhatsApp webhook), a magic link for it, signing in the
 * way a browser does (GET shows Continue, POST signs in), and portal API
 * calls with the session cookie.
 */
import assert from 'node:assert/strict';
import { withTenant } from '../../src/db/tenant.js';
import { createPortalLink } from '../../src/sending/portal-links.js';
import { createCustomer, type TestOrg } from '../support/fixtures.js';
import type { TestServer } from '../support/server.js';
import { customerWhatsApps } from '../sending/compose-support.js';

export type PortalCustomer = { customerId: string; conversationId: string; phone: string; code: string };

export async function portalCustomer(server: TestServer, org: TestOrg, name = 'Sam Jones'): Promise<PortalCustomer> {
  const customer = await createCustomer(server.db, org.id, { name });
  const conversationId = await customerWhatsApps(server, org, customer.phone!, 1, 'Hello from WhatsApp');
  const code = await issueLink(server, org.id, conversationId, customer.id);
  return { customerId: customer.id, conversationId, phone: customer.phone!, code };
}

export function issueLink(server: TestServer, orgId: string, conversationId: string, customerId: string | null): Promise<string> {
  return withTenant(server.db, orgId, (trx) => createPortalLink(trx, orgId, conversationId, customerId, 7, new Date()));
}

/** POST the link as the Continue button does. @returns the session cookie (`tf_portal=…`) */
export async function signIn(server: TestServer, code: string, ip = '203.0.113.10'): Promise<string> {
  const res = await fetch(`${server.baseUrl}/l/${code}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip }, body: '' });
  assert.equal(res.status, 303, await res.text());
  assert.equal(res.headers.get('location'), '/portal');
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export async function portalApi(server: TestServer, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { cookie, 'user-agent': 'PortalTest/1.0', 'x-forwarded-for': '198.51.100.7', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
