/**
 * The application under test for `bench/send.ts`, started exactly as
 * `src/main.ts` starts it (`startServer`: open the database, migrate with
 * `migrateToLatest`, start pg-boss with the sending queues, register the
 * sending workers, build the Fastify app), with live outbound providers
 * pointed at the fake Twilio; plus the benchmark garage, its customers and
 * their conversations.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import { startServer } from '../../src/server/start.js';
import { createCustomer, createOrg, type TestOrg } from '../../test/support/fixtures.js';
import { createConversation } from '../../test/support/delivery.js';
import { CREDENTIALS_ENCRYPTION_KEY } from '../../test/support/server.js';

export type Engine = 'postgres' | 'pglite';

export const PUBLIC_BASE_URL = 'https://example.com';
export const WHATSAPP_APP_SECRET = 'bench-send-whatsapp-app-secret';
const WHATSAPP_VERIFY_TOKEN = 'bench-send-verify-token';

export type Stack = {
  engine: Engine;
  app: FastifyInstance;
  database: DatabaseHandle;
  db: Kysely<Database>;
  queue: JobQueue;
  config: Config;
  close(): Promise<void>;
};

export type StackOptions = { databaseUrl: string | null; poolMax: number; twilioBaseUrl: string };

/**
 * Start the app on `databaseUrl` (PostgreSQL) or on in-memory PGlite (null).
 * Does not listen on a port: the race arranges its conversations with `app.inject`.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  const config = loadConfig({
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN,
    CREDENTIALS_ENCRYPTION_KEY,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    RUN_WORKER: 'true',
    OUTBOUND_PROVIDERS: 'live',
    TWILIO_API_BASE_URL: o.twilioBaseUrl,
    // Nothing in this benchmark sends WhatsApp; a closed local port keeps a mistake off the internet.
    WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9',
    DB_POOL_MAX: String(o.poolMax),
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
  });
  const { app, database, queue } = await startServer(config, { dataDir: null });
  await app.ready();
  return {
    engine: database.engine,
    app,
    database,
    db: database.db,
    queue,
    config,
    close: () => app.close(), // stops the queue (gracefully) and closes the database (startServer's onClose hook)
  };
}

/**
 * Deliveries this instance's workers have handed to the provider so far: the
 * sum of `torqueflow_deliveries_total{outcome="accepted"}` from the app's own
 * `GET /metrics` (one registry per app, so per instance).
 */
export async function deliveriesAccepted(app: FastifyInstance): Promise<number> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  if (res.statusCode !== 200) throw new Error(`GET /metrics answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  let accepted = 0;
  for (const line of res.body.split('\n')) {
    if (line.startsWith('torqueflow_deliveries_total{') && line.includes('outcome="accepted"')) accepted += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return accepted;
}

// ---------------------------------------------------------------------------
// Fixtures

export type BenchConversation = { id: string; customerId: string; phone: string };

/** The benchmark garage: a Twilio number (and Messaging Service), a WhatsApp number, an email sender. */
export function createBenchOrg(db: Kysely<Database>): Promise<TestOrg> {
  return createOrg(db, { name: 'Bench Garage' });
}

/**
 * `count` customers (with their consent rows, as the application creates
 * them) and one conversation each, last used on SMS.
 * @param firstPhone the numeric tail of the first phone, `+447700{firstPhone}`; the others follow
 */
export async function createSmsConversations(db: Kysely<Database>, orgId: string, count: number, firstPhone: number): Promise<BenchConversation[]> {
  const out: BenchConversation[] = [];
  for (let i = 0; i < count; i++) {
    const phone = `+447700${firstPhone + i}`;
    const customer = await createCustomer(db, orgId, { name: `Bench Customer ${i + 1}`, phone });
    const conversation = await createConversation(db, orgId, customer.id, { lastChannel: 'sms' });
    out.push({ id: conversation.id, customerId: customer.id, phone });
  }
  return out;
}
