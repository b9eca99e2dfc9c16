/**
 * How `npm run replay` signs in to the portal as a customer without anyone
 * handing staff a customer's session.
 *
 * The replay plays a customer's phone, so it must receive a magic link the
 * way a phone does, not borrow one from the staff side: staff (the API
 * token) never get a portal session, and the portal refuses the API token.
 * Every start of a server with the demo (SEED_DEMO=true) therefore issues a
 * fresh magic link for the replay's own demo customer — Robin Fairweather,
 * +447700900790, a customer the replayed day never texts from — exactly as a
 * bridge SMS does (`createPortalLink`, PORTAL_LINK_TTL_DAYS), and writes the
 * code to `DATA_DIR/demo-portal-link` (mode 0600), next to `demo-api-token`.
 * Only someone who can read the server's data folder (the operator, who
 * could read the database anyway) can use it. The replay then opens the link
 * like a phone would: `GET /l/{code}` (the Continue page, which signs nobody
 * in), `POST /l/{code}` (the session cookie), and sends through the real
 * portal endpoints, photos through the real multipart upload.
 *
 * The embedded database allows one process at a time, so the replay cannot
 * issue the link itself while the server runs; the server does it at start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { createCustomer } from '../customers/create-customer.js';
import { ensureCustomerConversation } from '../customers/customer-conversation.js';
import { createPortalLink } from '../sending/portal-links.js';
import { DEMO_ORG } from './demo-data.js';

/** The replay's portal customer: not in the 60-customer roster, not one of the replay's unknown numbers (900700–900739). */
export const DEMO_PORTAL_CUSTOMER = { name: 'Robin Fairweather', phone: '+447700900790', email: 'robin.fairweather@example.co.uk' } as const;

/** What `DATA_DIR/demo-portal-link` holds (JSON). */
export type DemoPortalLink = {
  /** The magic-link code: open `{server}/l/{code}`. */
  code: string;
  /** The customer's conversation, where staff see what the replay sent. */
  conversationId: string;
  customerName: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
};

/** File in DATA_DIR holding the replay's portal link (read by `npm run replay`). */
export function demoPortalLinkFile(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'demo-portal-link');
}

/**
 * Issue a fresh magic link for the replay's demo customer (created, with
 * their conversation, on first need) and write it to `demoPortalLinkFile`.
 * @returns the link, or null when the database has no demo garage
 */
export async function issueDemoPortalLink(db: Kysely<Database>, config: Config, now = new Date()): Promise<DemoPortalLink | null> {
  const org = await db.selectFrom('organisations').select('id').where('slug', '=', DEMO_ORG.slug).executeTakeFirst();
  if (!org) return null;
  const link = await withTenant(db, org.id, async (trx) => {
    const existing = await trx.selectFrom('customers').select('id').where('org_id', '=', org.id).where('phone', '=', DEMO_PORTAL_CUSTOMER.phone).executeTakeFirst();
    const customerId = existing?.id ?? await createCustomer(trx, org.id, { ...DEMO_PORTAL_CUSTOMER });
    const conversation = await ensureCustomerConversation(trx, org.id, customerId);
    const code = await createPortalLink(trx, org.id, conversation.id, customerId, config.PORTAL_LINK_TTL_DAYS, now);
    return { code, conversationId: conversation.id, customerName: DEMO_PORTAL_CUSTOMER.name, expiresAt: new Date(now.getTime() + config.PORTAL_LINK_TTL_DAYS * 86_400_000).toISOString() };
  });
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(demoPortalLinkFile(config), `${JSON.stringify(link)}\n`, { mode: 0o600 });
  return link;
}
