/**
 * The server side of `bench/ingest.ts`, run as a child process so that the
 * load generator and the server do not share one event loop.
 *
 * Starts the real stack exactly as `src/main.ts` does (`startServer`: open
 * the database, migrate, `buildApp`) on 127.0.0.1 with an ephemeral port,
 * creates the benchmark organisation and its customers (only the first
 * instance when the benchmark runs several on one PostgreSQL database:
 * `plan.fixtures`), and adds the floor: `POST /bench/floor`, one
 * autocommitted INSERT into the bench-only table `bench_floor` through the
 * same Kysely instance and connection pool.
 *
 * Reads its plan from BENCH_SERVER_PLAN (JSON `ServerPlan`), reports
 * `ready` over IPC, answers `verify` with what the tables hold, and exits on
 * `close` or when the parent goes away.
 */
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { startServer } from '../../src/server/start.js';
import { CREDENTIALS_ENCRYPTION_KEY } from '../../test/support/server.js';
import {
  FLOOR_PATH,
  PUBLIC_BASE_URL,
  WHATSAPP_APP_SECRET,
  WHATSAPP_VERIFY_TOKEN,
  type FromServer,
  type ServerPlan,
  type ToServer,
  type Verification,
} from './protocol.js';

function tell(message: FromServer): void {
  process.send?.(message);
}

async function createFixtures(db: Kysely<Database>, plan: ServerPlan): Promise<void> {
  const org = await db.insertInto('organisations').values({ name: 'Bench Garage', slug: 'bench-garage' }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('channel_identities')
    .values([
      { org_id: org.id, provider: 'twilio', kind: 'phone_number', address: plan.org.twilioNumber, display_number: plan.org.twilioNumber, auth_token: plan.org.twilioAuthToken },
      { org_id: org.id, provider: 'whatsapp', kind: 'whatsapp_phone_number', address: plan.org.whatsappPhoneNumberId, display_number: plan.org.twilioNumber, auth_token: null },
    ])
    .execute();
  let workOrderNo = 0;
  for (const c of plan.customers) {
    const customer = await db
      .insertInto('customers')
      .values({ org_id: org.id, name: c.name, phone: c.phone, email: null, portal_last_login_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < c.activeWorkOrders; i++) {
      workOrderNo++;
      await db
        .insertInto('work_orders')
        .values({ org_id: org.id, customer_id: customer.id, vehicle_id: null, number: `WO-${workOrderNo}`, title: 'Service', status: 'in_progress' })
        .execute();
    }
  }
  await sql`
    CREATE TABLE bench_floor (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ref text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`ANALYZE`.execute(db);
}

async function verify(db: Kysely<Database>): Promise<Verification> {
  const rows = await db.selectFrom('messages').select(['provider', 'provider_message_id']).execute();
  const floor = await sql<{ rows: number; refs: number }>`SELECT count(*)::int AS rows, count(DISTINCT ref)::int AS refs FROM bench_floor`.execute(db);
  return {
    messageRows: rows.length,
    messageKeys: rows.map((r) => `${r.provider ?? ''}:${r.provider_message_id ?? ''}`),
    floorRows: floor.rows[0]?.rows ?? 0,
    floorDistinctRefs: floor.rows[0]?.refs ?? 0,
  };
}

async function main(): Promise<void> {
  const raw = process.env.BENCH_SERVER_PLAN;
  if (!raw) throw new Error('BENCH_SERVER_PLAN is not set: this file is started by bench/ingest.ts');
  const plan = JSON.parse(raw) as ServerPlan;

  const config = loadConfig({
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN,
    CREDENTIALS_ENCRYPTION_KEY,
    SEED_DEMO: 'false',
    LOG_LEVEL: plan.logLevel,
    DB_POOL_MAX: String(plan.poolMax),
    ...(plan.databaseUrl ? { DATABASE_URL: plan.databaseUrl } : {}),
  });
  // PostgreSQL when DATABASE_URL is set, otherwise in-memory PGlite.
  const { app, database } = await startServer(config, { dataDir: null });
  const db = database.db;
  if (plan.fixtures) await createFixtures(db, plan);

  app.post(FLOOR_PATH, { schema: { hide: true } }, async (request, reply) => {
    const body = request.body as { ref?: unknown; body?: unknown } | null;
    if (!body || typeof body.ref !== 'string' || typeof body.body !== 'string') return reply.status(400).send({ error: 'ref and body are required' });
    await sql`INSERT INTO bench_floor (ref, body) VALUES (${body.ref}, ${body.body})`.execute(db);
    return reply.status(200).send({ received: true });
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');

  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    try {
      await app.close(); // also closes the database (startServer's onClose hook)
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (message: ToServer) => {
    if (message.type === 'verify') {
      verify(db).then(
        (v) => tell({ type: 'verified', ...v }),
        (err: unknown) => tell({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
      );
    } else if (message.type === 'close') {
      void shutdown(0);
    }
  });
  process.on('disconnect', () => void shutdown(0));

  tell({ type: 'ready', port: address.port, pid: process.pid, nodeVersion: process.version, engine: database.engine, poolMax: plan.poolMax });
}

main().catch((err: unknown) => {
  tell({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
