/**
 * Prepared statements on PostgreSQL (src/db/prepared-statements.ts, issue 16):
 * a repeated parameterised statement is prepared once per connection, row-level
 * security still answers per tenant through one prepared statement, a result
 * type changed under a cached plan fails once and then works, statements
 * without parameters keep the simple protocol (multi-statement text), and a
 * connection never holds more names than its limit. PGlite has no pool and
 * no node-postgres client: skipped there.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { withTenant } from '../../src/db/tenant.js';
import { preparesRepeatedStatements } from '../../src/db/prepared-statements.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createCustomer, createOrg } from '../support/fixtures.js';

const postgres = Boolean(process.env.DATABASE_URL);

/** The names prepared on the connection `db` runs on, by their statement text. */
async function preparedOn(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db);
  return rows.map((r) => r.statement);
}

describe('prepared statements', { skip: !postgres && 'PostgreSQL only (DATABASE_URL)' }, () => {
  let database: TestDatabase;
  before(async () => { database = await createTestDatabase(); });
  after(async () => { await database?.close(); });

  test('a statement is prepared on its second execution, and reused after that', async () => {
    await database.db.connection().execute(async (db) => {
      const text = 'SELECT $1::int + 1 AS n';
      const run = async () => (await db.executeQuery<{ n: number }>(CompiledQuery.raw(text, [41]))).rows[0]!.n;
      assert.equal(await run(), 42);
      assert.ok(!(await preparedOn(db)).includes(text), 'the first sighting goes unnamed');
      assert.equal(await run(), 42);
      assert.equal(await run(), 42);
      assert.equal((await preparedOn(db)).filter((s) => s === text).length, 1, 'prepared once, then reused');
    });
  });

  test('one prepared statement answers each tenant with its own rows only', async () => {
    const a = await createOrg(database.db);
    const b = await createOrg(database.db);
    const ca = await createCustomer(database.db, a.id, { name: 'Alice Only-A' });
    const cb = await createCustomer(database.db, b.id, { name: 'Bob Only-B' });
    const names = (orgId: string) => withTenant(database.db, orgId, async (trx) =>
      (await trx.selectFrom('customers').select('id').where('name', 'like', '%Only-%').execute()).map((r) => r.id));
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(await names(a.id), [ca.id], 'garage A sees its customer only');
      assert.deepEqual(await names(b.id), [cb.id], 'garage B sees its customer only');
    }
  });

  test('a result type changed under a cached plan fails once, then the statement works with the new columns', async () => {
    await sql`CREATE TABLE prepared_shape (id int PRIMARY KEY, a text)`.execute(database.db);
    await sql`INSERT INTO prepared_shape VALUES (1, 'x')`.execute(database.db);
    await database.db.connection().execute(async (db) => {
      const text = 'SELECT * FROM prepared_shape WHERE id = $1';
      const run = async () => (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [1]))).rows[0];
      await run();
      assert.deepEqual(await run(), { id: 1, a: 'x' });
      await sql`ALTER TABLE prepared_shape ADD COLUMN b text DEFAULT 'y'`.execute(db);
      await assert.rejects(run(), (err: { code?: string }) => err.code === '0A000');
      assert.deepEqual(await run(), { id: 1, a: 'x', b: 'y' });
    });
  });

  test('statements without parameters keep the simple protocol: several statements in one text still run', async () => {
    await database.db.connection().execute(async (db) => {
      for (let i = 0; i < 3; i++) await db.executeQuery(CompiledQuery.raw('SELECT 1; SELECT 2', []));
      assert.ok(!(await preparedOn(db)).some((s) => s.includes('SELECT 2')));
    });
  });

  test('a connection holds at most its limit of names; further statements run unnamed', async () => {
    const pool = preparesRepeatedStatements(new pg.Pool({ connectionString: database.url!, max: 1 }), 2);
    const client = await pool.connect();
    try {
      for (const n of [1, 2, 3, 4]) {
        for (let i = 0; i < 3; i++) assert.equal((await client.query(`SELECT $1::int * ${n} AS v`, [2])).rows[0].v, 2 * n);
      }
      const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_prepared_statements');
      assert.equal(rows[0].n, 2);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
