/**
 * A fresh PostgreSQL database per benchmark run: created on the server named
 * by an admin URL and dropped again
 * (`DROP DATABASE ... WITH (FORCE)`), also when the run fails or is
 * interrupted (Ctrl-C, SIGTERM).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type BenchDatabase = { name: string; url: string };

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the admin URL's server. */
export function databaseUrl(adminUrl: string, name: string): BenchDatabase {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Create database `name` on the admin URL's server. */
export async function createBenchDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return databaseUrl(adminUrl, name);
}

/**
 * Drop database `name`, first giving connections that are still closing
 * (pg-boss's LISTEN connection closes last) up to 5 s to go: forcing the drop
 * terminates them, and a pool without an error listener then crashes the process.
 */
export async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    for (let i = 0; i < 50; i++) {
      const open = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (open.rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/**
 * Run `fn` on a fresh database `<prefix><12 random hex digits>` and drop it afterwards, also on failure; on
 * SIGINT/SIGTERM meanwhile, call `onSignal` (e.g. stop a child), drop the
 * database and exit 130.
 */
export async function withBenchDatabase<T>(
  adminUrl: string,
  prefix: string,
  fn: (db: BenchDatabase) => Promise<T>,
  onSignal?: () => void,
): Promise<T> {
  const db = await createBenchDatabase(adminUrl, `${prefix}${randomBytes(6).toString('hex')}`);
  const dropOnSignal = () => {
    onSignal?.();
    dropBenchDatabase(adminUrl, db.name).finally(() => process.exit(130));
  };
  process.once('SIGINT', dropOnSignal);
  process.once('SIGTERM', dropOnSignal);
  try {
    return await fn(db);
  } finally {
    await dropBenchDatabase(adminUrl, db.name);
    process.off('SIGINT', dropOnSignal);
    process.off('SIGTERM', dropOnSignal);
  }
}
