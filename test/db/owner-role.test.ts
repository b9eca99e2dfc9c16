/**
 * The production database setup (issue 10, item 19; README "Running in
 * production", Database role): the application connects as a role that owns
 * the database but is not a superuser, so a tenant transaction that changes
 * its role back can at most become that owner; and row-level security binds
 * the owner too (FORCE, migration 0014) on every tenant table the owner path
 * does not need to read across garages.
 *
 * The list below is the owner path: each tenant table left unforced, with the
 * look-up that reads or writes it before a garage is known. A new tenant
 * table must be FORCEd or added here with its reason; a listed table that is
 * FORCEd, or no longer exists, fails the test too, so the list stays true.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { withTenant } from '../../src/db/tenant.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoIfEmpty } from '../../src/seed/demo.js';
import { createOwnedTestDatabase, createTestDatabase, type TestDatabase } from '../support/database.js';
import { CREDENTIALS_ENCRYPTION_KEY, startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';

/** Tenant tables the owner reads or writes outside any tenant: table → the owner path that needs it. */
const OWNER_PATH: Record<string, string> = {
  organisations: 'sign-in, password reset, magic-link and unsubscribe pages join the garage; the reminder scan lists garages; the CLI finds a garage by slug; organisations are created here',
  channel_identities: 'webhook routing (ingest_route_twilio, ingest_route_whatsapp) finds the garage by number; credentials are re-sealed at start; the demo refusal checks Twilio tokens',
  calls: 'Twilio voice callbacks are routed by CallSid (ingest_route_twilio_call)',
  api_tokens: 'a bearer token is looked up by its hash before the garage is known; the CLI creates, lists and revokes tokens',
  staff_sessions: 'a session cookie is looked up by its hash; sign-out deletes it',
  staff_users: 'sign-in and password reset find accounts by email across garages; the session look-up joins the user; the demo refusal checks demo passwords',
  roles: 'the session look-up joins the role for its capabilities; a new garage\'s default roles are written with it',
  password_resets: 'a reset link is looked up by its token hash',
  portal_links: 'a magic link is looked up by its code hash; the portal session look-up joins it for expiry and revocation',
  portal_sessions: 'a portal session cookie is looked up by its hash',
  message_reminders: 'an unsubscribe link is looked up by its token',
  inbox_events: 'the real-time reader follows every garage\'s events in one log; retention prunes it',
  conversation_count_deltas: 'count compaction folds every garage\'s deltas in one statement',
};

/** Tables with an `org_id` column or row-level security (`organisations` itself). */
type TableRls = { table: string; forced: boolean };

async function tenantTables(db: Kysely<Database>): Promise<TableRls[]> {
  const { rows } = await sql<TableRls>`
    SELECT c.relname AS table, c.relforcerowsecurity AS forced FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relrowsecurity
      OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped))
    ORDER BY 1
  `.execute(db);
  return rows;
}

describe('every tenant table is FORCEd or on the owner path', () => {
  let database: TestDatabase;
  before(async () => { database = await createTestDatabase(); });
  after(() => database.close());

  test('FORCE ROW LEVEL SECURITY on each tenant table except those the owner path lists, with its reason', async () => {
    const tables = await tenantTables(database.db);
    assert.ok(tables.length > 30, 'the tenant tables were found');
    const unlisted = tables.filter((t) => !t.forced && !(t.table in OWNER_PATH)).map((t) => t.table);
    assert.deepEqual(unlisted, [], 'tenant tables neither FORCEd nor on the owner path: FORCE them in a migration, or list the owner look-up that needs them');
    const listedButForced = tables.filter((t) => t.forced && t.table in OWNER_PATH).map((t) => t.table);
    assert.deepEqual(listedButForced, [], 'listed as owner path but FORCEd: the owner look-up would find nothing');
    const names = new Set(tables.map((t) => t.table));
    assert.deepEqual(Object.keys(OWNER_PATH).filter((t) => !names.has(t)), [], 'listed tables that are not tenant tables');
    for (const t of ['customers', 'messages', 'conversations', 'consent_audit_log', 'staff_audit_log']) {
      assert.ok(tables.find((r) => r.table === t)?.forced, `${t} is FORCEd`);
    }
  });
});

const pgOnly = process.env.DATABASE_URL ? false : 'PostgreSQL only: PGlite has a single superuser session, no second role to connect as';

describe('the app connected as a non-superuser owner', { skip: pgOnly }, () => {
  let owned: TestDatabase & { role: string };
  let server: TestServer;
  let org: TestOrg;
  let other: TestOrg;
  let dataDir: string;
  let admin: pg.Client;

  before(async () => {
    owned = await createOwnedTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tf-owner-'));
    // The zero-setup demo seeds as this owner too: everything after the garage is written inside its tenant.
    const demo = await seedDemoIfEmpty(owned.db, loadConfig({ DATA_DIR: dataDir, CREDENTIALS_ENCRYPTION_KEY }));
    assert.ok(demo && demo.customers > 0 && demo.messages > 0, 'the demo garage is seeded by a non-superuser owner');
    server = await startTestServer({}, { database: owned });
    org = await createOrg(server.db);
    other = await createOrg(server.db);
    await createCustomer(server.db, org.id, { name: 'Ada' });
    await createCustomer(server.db, other.id, { name: 'Grace' });
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL!.replace(/\/[^/]*$/, `/${owned.role}`) });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    // The server closes the database it serves; without one (a failed start), close it here.
    if (server) await server.close();
    else await owned?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the connecting role owns the database and is neither superuser nor able to bypass row security or create roles', async () => {
    const { rows } = await sql<{ user: string; super: boolean; bypass: boolean; createrole: boolean; owns: boolean }>`
      SELECT current_user AS user, r.rolsuper AS super, r.rolbypassrls AS bypass, r.rolcreaterole AS createrole,
             (SELECT d.datdba = r.oid FROM pg_database d WHERE d.datname = current_database()) AS owns
      FROM pg_roles r WHERE r.rolname = current_user
    `.execute(server.db);
    assert.deepEqual(rows[0], { user: owned.role, super: false, bypass: false, createrole: false, owns: true });
  });

  test('a signed webhook is ingested and listed through the API', async () => {
    const from = uniquePhone();
    const sid = newSid();
    const res = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid, from, to: org.twilioNumber, body: 'Is my car ready?' }), org.twilioAuthToken);
    assert.equal(res.status, 200, res.body);
    const headers = { authorization: `Bearer ${org.apiToken}` };
    const list = await (await fetch(`${server.baseUrl}/v1/conversations?range=all_time&limit=100`, { headers })).json() as any;
    const row = list.conversations.find((c: any) => c.preview?.body === 'Is my car ready?');
    assert.ok(row, `the conversation is listed: ${JSON.stringify(list.conversations.map((c: any) => c.preview?.body))}`);
    const thread = await (await fetch(`${server.baseUrl}/v1/conversations/${row.id}/thread`, { headers })).json() as any;
    assert.ok(thread.messages.some((m: any) => m.body === 'Is my car ready?' && m.direction === 'inbound'));
    const theirs = await (await fetch(`${server.baseUrl}/v1/conversations?range=all_time&limit=100`, { headers: { authorization: `Bearer ${other.apiToken}` } })).json() as any;
    assert.ok(!theirs.conversations.some((c: any) => c.id === row.id), 'the other garage does not see it');
  });

  test('inside a tenant transaction, SET ROLE cannot reach a superuser and RESET ROLE returns only to the owner', async () => {
    await assert.rejects(
      withTenant(server.db, org.id, (trx) => sql`SET ROLE postgres`.execute(trx)),
      /permission denied to set role "postgres"/,
    );
    await assert.rejects(
      withTenant(server.db, org.id, (trx) => sql`SET SESSION AUTHORIZATION postgres`.execute(trx)),
      /permission denied/,
    );
    const reset = await withTenant(server.db, org.id, async (trx) => {
      const before = await sql<{ user: string }>`SELECT current_user AS user`.execute(trx);
      await sql`RESET ROLE`.execute(trx);
      const { rows } = await sql<{ user: string; super: boolean; bypass: boolean }>`
        SELECT current_user AS user, rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user
      `.execute(trx);
      return { before: before.rows[0]!.user, after: rows[0]! };
    });
    assert.equal(reset.before, 'torqueflow_app');
    assert.deepEqual(reset.after, { user: owned.role, super: false, bypass: false });
    await assert.rejects(
      withTenant(server.db, org.id, async (trx) => { await sql`RESET ROLE`.execute(trx); await sql`SET ROLE postgres`.execute(trx); }),
      /permission denied to set role "postgres"/,
      'not from the owner either',
    );
  });

  test('on a FORCEd table the owner without app.org_id sees and writes no garage\'s rows', async () => {
    const superuser = await admin.query('SELECT count(DISTINCT org_id)::int AS orgs, count(*)::int AS n FROM customers');
    assert.ok(superuser.rows[0].orgs >= 3, 'the customers of the demo and both garages exist');
    for (const table of ['customers', 'messages', 'conversations', 'customer_consents', 'consent_audit_log']) {
      const seen = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(server.db);
      assert.equal(seen.rows[0]!.n, 0, `${table}: the owner outside a tenant sees nothing`);
    }
    await assert.rejects(
      sql`INSERT INTO customers (org_id, name) VALUES (${org.id}, 'Mallory')`.execute(server.db),
      /row-level security/,
    );
    const updated = await sql`UPDATE customers SET name = 'Mallory'`.execute(server.db);
    assert.equal(Number(updated.numAffectedRows ?? 0), 0, 'an update outside a tenant changes nothing');
    // Inside a tenant, its own rows only; the owner-path tables stay readable across garages.
    const own = await withTenant(server.db, org.id, (trx) => sql<{ org: string }>`SELECT DISTINCT org_id AS org FROM customers`.execute(trx));
    assert.deepEqual(own.rows.map((r) => r.org), [org.id]);
    const routing = await sql<{ n: number }>`SELECT count(DISTINCT org_id)::int AS n FROM channel_identities`.execute(server.db);
    assert.ok(routing.rows[0]!.n >= 3, 'the routing table is read across garages');
  });
});
