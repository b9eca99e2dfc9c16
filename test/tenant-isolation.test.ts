/**
 * Row-level security keeps organisations apart in the database itself: a
 * query that forgets its organisation filter still sees only its own
 * organisation's rows, and writes into another organisation are refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { withTenant } from '../src/db/tenant.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createCustomer, createOrg, createOutboundMessage, type TestOrg } from './support/fixtures.js';
import { seedConversation } from './support/inbox.js';

let database: TestDatabase;
let a: TestOrg;
let b: TestOrg;

before(async () => {
  database = await createTestDatabase();
  a = await createOrg(database.db);
  b = await createOrg(database.db);
  for (const org of [a, b]) {
    const customer = await createCustomer(database.db, org.id, { name: `Customer of ${org.id}` });
    await createOutboundMessage(database.db, org.id, { customerId: customer.id, provider: 'twilio', providerMessageId: `SM${org.id.replace(/-/g, '')}` });
  }
});
after(() => database.close());

const TABLES = ['customers', 'conversations', 'messages', 'channel_identities', 'api_tokens', 'organisations', 'inbox_events', 'conversation_activity_days'] as const;

/** The search views (migration 0005) filter on the tenant setting themselves. */
const SEARCH_VIEWS = [['inbox_search_customers', 'customers'], ['inbox_search_conversations', 'conversations'], ['inbox_search_messages', 'messages']] as const;

test('a query without an organisation filter sees only the tenant\'s rows, in every tenant table', async () => {
  for (const table of TABLES) {
    const owner = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db);
    assert.ok(owner.rows[0]!.n >= 2, `${table}: both organisations have rows`);
    const seen = await withTenant(database.db, a.id, (trx) => sql<{ org: string }>`SELECT ${sql.ref(table === 'organisations' ? 'id' : 'org_id')} AS org FROM ${sql.table(table)}`.execute(trx));
    assert.ok(seen.rows.length > 0, `${table}: tenant sees its own rows`);
    assert.ok(seen.rows.every((r) => r.org === a.id), `${table}: no other organisation's rows`);
  }
});

test('the search views show exactly the tenant\'s rows, and nothing without a tenant', async () => {
  for (const [view, table] of SEARCH_VIEWS) {
    const counts = await withTenant(database.db, a.id, async (trx) => ({
      view: await sql<{ org: string }>`SELECT org_id AS org FROM ${sql.table(view)}`.execute(trx),
      table: await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(trx),
    }));
    assert.ok(counts.view.rows.length > 0, view);
    assert.equal(counts.view.rows.length, counts.table.rows[0]!.n, `${view}: every row of the tenant`);
    assert.ok(counts.view.rows.every((r) => r.org === a.id), `${view}: no other organisation's rows`);
    const bare = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(view)}`.execute(database.db);
    assert.equal(bare.rows[0]!.n, 0, `${view}: nothing outside a tenant`);
  }
});

test('every table with an org_id column has row-level security with a tenant policy', async () => {
  const unprotected = await sql<{ table: string }>`
    SELECT c.relname AS table FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
    WHERE c.relkind = 'r'
      AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
  `.execute(database.db);
  assert.deepEqual(unprotected.rows.map((r) => r.table), []);
});

test('another organisation\'s row cannot be inserted, updated or deleted', async () => {
  await assert.rejects(
    withTenant(database.db, a.id, (trx) => trx.insertInto('customers').values({ org_id: b.id, name: 'Intruder', phone: null, email: null, portal_last_login_at: null }).execute()),
    /row-level security/,
  );
  const updated = await withTenant(database.db, a.id, (trx) => trx.updateTable('customers').set({ name: 'Hijacked' }).where('org_id', '=', b.id).executeTakeFirst());
  assert.equal(Number(updated.numUpdatedRows), 0);
  const deleted = await withTenant(database.db, a.id, (trx) => trx.deleteFrom('messages').where('org_id', '=', b.id).executeTakeFirst());
  assert.equal(Number(deleted.numDeletedRows), 0);
  const names = await database.db.selectFrom('customers').select('name').where('org_id', '=', b.id).execute();
  assert.ok(names.every((n) => n.name !== 'Hijacked'));
});

test('a moved row cannot be handed to another organisation', async () => {
  await assert.rejects(
    withTenant(database.db, a.id, (trx) => trx.updateTable('customers').set({ org_id: b.id }).where('org_id', '=', a.id).execute()),
    /row-level security/,
  );
});

test('with no tenant entered the application role sees nothing at all', async () => {
  const rows = await database.db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('role', 'torqueflow_app', true)`.execute(trx);
    return (await sql`SELECT id FROM messages`.execute(trx)).rows;
  });
  assert.equal(rows.length, 0);
});

test('the tenant setting ends with its transaction', async () => {
  await withTenant(database.db, a.id, async () => undefined);
  const after = await sql<{ org: string | null; role: string }>`SELECT current_setting('app.org_id', true) AS org, current_user AS role`.execute(database.db);
  assert.ok(!after.rows[0]!.org, 'no organisation left on the pooled connection');
  assert.notEqual(after.rows[0]!.role, 'torqueflow_app');
});

test('an organisation without audit records can be deleted, its inbox state with it, and nothing else', async () => {
  const doomed = await createOrg(database.db);
  await seedConversation(database.db, doomed.id, { contactPhone: '+447700900999', entries: [{ direction: 'inbound', at: new Date() }] });
  await database.db.deleteFrom('api_tokens').where('org_id', '=', doomed.id).execute();
  await database.db.deleteFrom('organisations').where('id', '=', doomed.id).execute();
  for (const table of ['conversations', 'messages', 'inbox_events', 'conversation_count_deltas', 'conversation_activity_days'] as const) {
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE org_id = ${doomed.id}`.execute(database.db);
    assert.equal(left.rows[0]!.n, 0, table);
  }
  const others = await sql<{ n: number }>`SELECT count(*)::int AS n FROM conversations WHERE org_id = ${a.id}`.execute(database.db);
  assert.ok(others.rows[0]!.n > 0);
});
