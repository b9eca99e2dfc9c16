/**
 * Opens the system of record: PostgreSQL when a connection string is given,
 * otherwise embedded PGlite persisted in a data folder (or in memory). Both
 * are driven through the same Kysely instance, SQL and migrations.
 */
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Logger } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';
import { PGLITE_SHARED_BUFFERS_DEFAULT } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { preparesRepeatedStatements } from './prepared-statements.js';

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
  /**
   * `log` receives every query Kysely runs (benchmarks record them for EXPLAIN);
   * `preparedStatements` (default true): prepare the statements this process repeats (src/db/prepared-statements.ts).
   */
  | { databaseUrl: string; poolMax?: number; log?: Logger; preparedStatements?: boolean }
  /**
   * `dataDir: null` keeps the embedded database in memory (tests);
   * `sharedBuffers`: PGlite's buffer cache, a PostgreSQL size such as '16MB' (default: PGLITE_SHARED_BUFFERS's default).
   */
  | { databaseUrl?: undefined; dataDir: string | null; sharedBuffers?: string };

// timestamptz → Date (default), numeric → exact string (default), int8 → number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Keep a dropped PostgreSQL connection (server restart, failover,
 * `idle_session_timeout`, a PgBouncer recycle, `pg_terminate_backend`) from
 * ending the process. node-postgres emits `'error'` on a client whose
 * connection ends unexpectedly, and an `'error'` event without a listener
 * throws: on the pool for an idle client, on the client itself while it is
 * checked out (the pool's own listener is detached then). Every client gets a
 * listener for its whole life; the pool already drops broken clients (idle,
 * or on release when no longer queryable) and connects anew, and the request
 * whose query failed answers 5xx, so providers retry.
 * @param onError told once per dropped connection
 */
export function survivesDroppedConnections(pool: pg.Pool, onError: (err: Error) => void): pg.Pool {
  pool.on('connect', (client) => client.on('error', onError));
  // An idle client's error reaches the pool too; the client's own listener has already reported it.
  pool.on('error', () => undefined);
  return pool;
}

function warnDropped(err: Error): void {
  process.emitWarning(`database connection lost (a new one is made on demand): ${err.message}`);
}

/** Open a database handle. Does not migrate: call `migrateToLatest`. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    // JIT off: every query here is short OLTP work, and the planner's cost estimate for the inbox's
    // scoped counts crossed jit_above_cost, spending 15 ms compiling a 9 ms query (bench/inbox).
    const pool = survivesDroppedConnections(new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 20, options: '-c jit=off' }), warnDropped);
    if (options.preparedStatements ?? true) preparesRepeatedStatements(pool);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    return { db, engine: 'postgres', databaseUrl: options.databaseUrl, pglite: null, close: () => db.destroy() };
  }
  const dataDir = 'dataDir' in options ? options.dataDir : null;
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  // The contrib extensions the inbox's search indexes use (migration 0005); PostgreSQL ships them as contrib.
  const extensions = { btree_gin, pg_trgm };
  const sharedBuffers = ('sharedBuffers' in options ? options.sharedBuffers : undefined) ?? PGLITE_SHARED_BUFFERS_DEFAULT;
  const settings = { extensions, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] };
  const client = dataDir ? new PGlite(dataDir, settings) : new PGlite(settings);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    engine: 'pglite',
    databaseUrl: null,
    pglite: client,
    close: async () => {
      try {
        await db.destroy();
        if (!client.closed) await client.close();
      } finally {
        unlock();
      }
    },
  };
}
