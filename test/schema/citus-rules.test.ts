/**
 * The schema keeps to the rules Citus imposes on tables distributed by
 * `org_id` (docs/scaling.md, "Past one PostgreSQL"), so the move past one
 * PostgreSQL stays a configuration step, not a redesign:
 *
 * 1. Every primary key and unique index of a tenant table (a table with an
 *    `org_id` column) includes `org_id` — Citus enforces uniqueness per shard only.
 * 2. A foreign key from a tenant table either is `(org_id) → organisations(id)`
 *    or carries `org_id` on both sides (colocated tables), or points at a
 *    reference table.
 * 3. Row-level security policies hold no subquery (Citus cannot push them to workers).
 * 4. Triggers on tenant tables are listed here with why they only touch the
 *    same tenant's rows (Citus needs `citus.enable_unsafe_triggers` for them).
 * 5. Tables without `org_id` are listed as reference or coordinator-local tables.
 *
 * The schema written before this rule existed breaks rule 1 in the places
 * listed in `KNOWN_EXCEPTIONS`, each with its reason and the planned change.
 * A new table or constraint that breaks a rule fails this test; an exception
 * that no longer applies fails it too, so the list stays true.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

/** Tables without `org_id`, and what they become under Citus. */
const NON_TENANT_TABLES: Record<string, string> = {
  organisations: 'distributed by its own id, colocated with every org_id table',
  sign_in_attempts: 'coordinator-local: per email/address rate limit, read before any organisation is known',
  portal_link_failures: 'coordinator-local: per address and global rate limit of failed magic-link look-ups, read before any organisation is known',
  password_reset_requests: 'coordinator-local: per email/address rate limit of reset emails, read before any organisation is known',
  inbox_event_horizon: 'coordinator-local singleton: the newest pruned event, read by the real-time stream on the coordinator',
  kysely_migration: 'coordinator-local: migration bookkeeping',
  kysely_migration_lock: 'coordinator-local: migration bookkeeping',
};

const ID_PRIMARY_KEY = 'primary key on (id) alone, from before the Citus rules; the uuid is random, so (org_id, id) — already unique for the foreign keys — becomes the primary key in the Citus migration (issue 16)';
const GLOBAL_LOOKUP = 'looked up before the organisation is known (a webhook, a bearer token, a cookie, a sign-in): becomes a reference-table lookup (key → org_id) in the Citus migration (issue 16)';

/** Unique indexes of tenant tables that lack org_id today: index name → reason. */
const KNOWN_EXCEPTIONS: Record<string, string> = {
  api_tokens_pkey: ID_PRIMARY_KEY,
  api_tokens_token_hash_key: GLOBAL_LOOKUP,
  channel_identities_pkey: ID_PRIMARY_KEY,
  channel_identities_provider_kind_address_key: GLOBAL_LOOKUP,
  consent_audit_log_pkey: ID_PRIMARY_KEY,
  conversation_count_deltas_pkey: ID_PRIMARY_KEY,
  conversations_pkey: ID_PRIMARY_KEY,
  customers_pkey: ID_PRIMARY_KEY,
  inbox_events_pkey: 'the real-time log orders by (tx, id) across organisations on the coordinator; under Citus it stays a coordinator-local table fed by the same transaction',
  message_status_events_pkey: ID_PRIMARY_KEY,
  message_templates_pkey: ID_PRIMARY_KEY,
  messages_pkey: ID_PRIMARY_KEY,
  password_resets_pkey: GLOBAL_LOOKUP,
  portal_sessions_pkey: ID_PRIMARY_KEY,
  portal_sessions_token_hash_key: GLOBAL_LOOKUP,
  quick_messages_pkey: ID_PRIMARY_KEY,
  roles_pkey: ID_PRIMARY_KEY,
  staff_audit_log_pkey: ID_PRIMARY_KEY,
  staff_sessions_pkey: ID_PRIMARY_KEY,
  staff_sessions_token_hash_key: GLOBAL_LOOKUP,
  staff_users_pkey: ID_PRIMARY_KEY,
  vehicles_pkey: ID_PRIMARY_KEY,
  work_orders_pkey: ID_PRIMARY_KEY,
  whatsapp_verifications_pkey: ID_PRIMARY_KEY,
  message_reminders_unsubscribe_token_key: GLOBAL_LOOKUP,
  portal_links_code_hash_key: GLOBAL_LOOKUP,
};

/** Triggers on tenant tables: name → why it touches only the same tenant's rows. */
const TENANT_TRIGGERS: Record<string, string> = {
  'conversations.conversation_counts_insert_delete': 'inserts a count delta with the conversation\'s own org_id',
  'conversations.conversation_counts_update': 'inserts a count delta with the conversation\'s own org_id',
  'messages.messages_after_insert': 'updates the message\'s own conversation (same org_id) and writes its activity day and event',
  'messages.messages_after_status_change': 'updates the message\'s own conversation and writes its event',
  'messages.messages_after_call_change': 'updates the call entry\'s own conversation and writes its event',
  'messages.messages_after_move': 'moves a call entry between two conversations of the same organisation (Reassign) and writes both events',
  'messages.messages_after_read': 'updates the message\'s own conversation and writes its event',
  'consent_audit_log.consent_audit_log_immutable': 'refuses UPDATE/DELETE; touches no row',
  'staff_audit_log.staff_audit_log_immutable': 'refuses UPDATE/DELETE; touches no row',
  'consent_audit_log.consent_audit_log_no_truncate': 'refuses TRUNCATE; touches no row',
  'staff_audit_log.staff_audit_log_no_truncate': 'refuses TRUNCATE; touches no row',
  'inbox_events.inbox_events_notify': 'NOTIFY only; LISTEN/NOTIFY stays on the coordinator',
};

async function rows<T>(query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(database.db)).rows;
}

async function tenantTables(): Promise<Set<string>> {
  const found = await rows<{ name: string }>(sql`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)`);
  return new Set(found.map((r) => r.name));
}

test('tables without org_id are the listed reference and coordinator-local tables', async () => {
  const found = await rows<{ name: string }>(sql`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
    ORDER BY 1`);
  assert.deepEqual(found.map((r) => r.name), Object.keys(NON_TENANT_TABLES).sort(), 'a new table without org_id: add org_id, or list it with its Citus role');
});

test('every unique index of a tenant table includes org_id, but for the listed exceptions', async () => {
  const violations = await rows<{ index: string; definition: string }>(sql`
    SELECT i.relname AS index, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND x.indisunique
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'org_id')
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'org_id' AND a.attnum = ANY (x.indkey))
    ORDER BY 1`);
  const unexpected = violations.filter((v) => !(v.index in KNOWN_EXCEPTIONS));
  assert.deepEqual(unexpected, [], 'unique keys must include org_id (Citus checks uniqueness per shard)');
  const stale = Object.keys(KNOWN_EXCEPTIONS).filter((name) => !violations.some((v) => v.index === name));
  assert.deepEqual(stale, [], 'these exceptions no longer apply: remove them from KNOWN_EXCEPTIONS');
});

test('foreign keys join colocated tables on org_id, or point at organisations or a reference table', async () => {
  const tenants = await tenantTables();
  const keys = await rows<{ name: string; table: string; target: string; columns: string[]; targetColumns: string[] }>(sql`
    SELECT con.conname AS name, src.relname AS table, dst.relname AS target,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
      ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS "targetColumns"
    FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
    WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace`);
  assert.ok(keys.length > 0);
  const broken = keys.filter((k) => {
    if (!tenants.has(k.table)) return false;
    if (k.target === 'organisations') return !(k.columns.length === 1 && k.columns[0] === 'org_id' && k.targetColumns[0] === 'id');
    if (!tenants.has(k.target)) return !(k.target in NON_TENANT_TABLES);
    const at = k.columns.indexOf('org_id');
    return at < 0 || k.targetColumns[at] !== 'org_id';
  });
  assert.deepEqual(broken, [], 'a foreign key between tenant tables must carry org_id on both sides');
});

test('row-level security policies hold no subquery', async () => {
  const policies = await rows<{ table: string; qual: string | null; check: string | null }>(sql`
    SELECT tablename AS table, qual, with_check AS check FROM pg_policies WHERE schemaname = 'public'`);
  assert.ok(policies.length > 0);
  const withSubquery = policies.filter((p) => /\bselect\b/i.test(`${p.qual ?? ''} ${p.check ?? ''}`));
  assert.deepEqual(withSubquery, [], 'Citus cannot run a policy with a subquery on the workers');
});

test('every trigger on a tenant table is listed with why it stays inside its tenant', async () => {
  const tenants = await tenantTables();
  const triggers = await rows<{ table: string; name: string }>(sql`
    SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal`);
  const found = triggers.filter((t) => tenants.has(t.table)).map((t) => `${t.table}.${t.name}`).sort();
  assert.deepEqual(found, Object.keys(TENANT_TRIGGERS).sort(), 'list a new trigger in TENANT_TRIGGERS with why it touches only its own tenant (Citus: citus.enable_unsafe_triggers)');
});
