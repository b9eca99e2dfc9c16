/**
 * Opens the system of record: PostgreSQL when a connection string is given,
 * otherwise embedded PGlite persisted in a data folder (or in memory). Both
 * are driven through the same Kysely instance, SQL and migrations.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Logger } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

export type Engine = 'postgres' | 'pglite';

export type DatabaseHandle = {
  db: Kysely<Database>;
  engine: Engine;
  /** The PostgreSQL connection string, or null on PGlite. */
  databaseUrl: string | null;
  /** The embedded client on PGlite (reached only through `db.connection()`, which serialises access), else null. */
  pglite: PGlite | null;
  /** Close every connection; the handle is unusable afterwards. */
  close: () => Promise<void>;
};

export type DatabaseOptions =
  /** `log` receives every query Kysely runs (benchmarks record them for EXPLAIN). */
  | { databaseUrl: string; poolMax?: number; log?: Logger }
  /** `dataDir: null` keeps the embedded database in memory (tests). */
  | { databaseUrl?: undefined; dataDir: string | null };

// timestamptz → Date (default), numeric → exact string (default), int8 → number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Open a database handle. Does not migrate: call `migrateToLatest`. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    // JIT off: every query here is short OLTP work, and the planner's cost estimate for the inbox's
    // scoped counts crossed jit_above_cost, spending 15 ms compiling a 9 ms query (bench/inbox).
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 20, options: '-c jit=off' });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    return { db, engine: 'postgres', databaseUrl: options.databaseUrl, pglite: null, close: () => db.destroy() };
  }
  const dataDir = 'dataDir' in options ? options.dataDir : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The contrib extensions the inbox's search indexes use (migration 0005); PostgreSQL ships them as contrib.
  const extensions = { btree_gin, pg_trgm };
  const client = dataDir ? new PGlite(dataDir, { extensions }) : new PGlite({ extensions });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    engine: 'pglite',
    databaseUrl: null,
    pglite: client,
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}
