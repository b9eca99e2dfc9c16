/**
 * A fresh, migrated database for one test file: in-memory PGlite by default;
 * with DATABASE_URL, a new database on that PostgreSQL server, dropped again
 * by `close()`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export type TestDatabase = DatabaseHandle & { url: string | null };

/** Run `fn` on a client of the PostgreSQL server at `serverUrl` (as the user it names). */
async function asAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Open and migrate database `name` on the server as `user` (default: the server URL's own), dropping it (and `dropRole`) on close. */
async function openServerDatabase(serverUrl: string, name: string, user: string | null, dropRole: string | null): Promise<TestDatabase> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (user) url.username = user;
  const handle = openDatabase({ databaseUrl: url.toString(), poolMax: 40 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      await asAdmin(serverUrl, async (drop) => {
        // Let closing pools (pg-boss's LISTEN connection closes last) go before forcing the drop.
        for (let i = 0; i < 50; i++) {
          const open = await drop.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (open.rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        if (dropRole) await drop.query(`DROP ROLE IF EXISTS ${dropRole}`);
      });
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = openDatabase({ dataDir: null });
    await migrateToLatest(handle.db);
    return { ...handle, url: null };
  }
  const name = `tf_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  return openServerDatabase(serverUrl, name, null, null);
}

/**
 * The production database setup (README, "Running in production"): a new
 * LOGIN role that is not a superuser, with CREATEROLE for the first
 * migration (which creates `torqueflow_app`), owning a fresh database it
 * migrates itself; CREATEROLE is then taken back, as the README advises.
 * The handle connects as that role. PostgreSQL only (DATABASE_URL, whose user
 * must be a superuser: it creates and finally drops the role and database).
 * @returns the handle, and the owner role's name
 */
export async function createOwnedTestDatabase(): Promise<TestDatabase & { role: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('createOwnedTestDatabase needs DATABASE_URL (PostgreSQL)');
  const name = `tf_owner_${randomBytes(6).toString('hex')}`;
  await asAdmin(serverUrl, async (admin) => {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
  });
  const database = await openServerDatabase(serverUrl, name, name, name);
  await asAdmin(serverUrl, async (admin) => {
    // Where the owner could not grant itself torqueflow_app (PostgreSQL 16+ when another role created it), the README's superuser step does.
    const member = await admin.query(`SELECT pg_has_role($1, 'torqueflow_app', 'MEMBER') AS ok`, [name]);
    if (!member.rows[0].ok) await admin.query(`GRANT torqueflow_app TO ${name}`);
    await admin.query(`ALTER ROLE ${name} NOCREATEROLE`);
  });
  return { ...database, role: name };
}
