/**
 * Subject Access Request export benchmark (issue 12 item 8: "under one
 * second for a customer with 5,000 messages").
 *
 * For each engine (PostgreSQL on BENCH_DATABASE_URL, a fresh database; then
 * PGlite in memory), starts the real app (`startTestServer`, listening on
 * 127.0.0.1), seeds a customer with BENCH_SAR_MESSAGES messages plus a
 * photo, a call recording, consent changes and a portal sign-in
 * (test/support/sar-fixture.ts), then, signed in as the garage's owner:
 * - times BENCH_SAR_SAMPLES full downloads of `GET /v1/customers/{id}/export`
 *   (request → last byte of the zip, one keep-alive connection), after 2
 *   unmeasured ones;
 * - times a plain `COPY (SELECT * …) TO` of the same rows (the customer's
 *   messages, calls, media index, consent rows and history, vehicles, work
 *   orders, portal links and sessions) inside the database (PostgreSQL: to
 *   /dev/null as the superuser; PGlite: to /dev/blob), the floor any export
 *   of those rows pays;
 * - prints median and max export time, the zip's size, the COPY median and
 *   the ratio export / COPY, and PASS/MISS against the 1,000 ms target.
 * Figures are printed, never asserted; exit 1 only when the run breaks.
 *
 * Run:  npm run bench:sar
 * Environment (default):
 *   BENCH_SAR_MESSAGES   5000
 *   BENCH_SAR_SAMPLES    10
 *   BENCH_ENGINES        postgres,pglite
 *   BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/postgres
 */
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../test/support/server.js';
import { createOrg, createStaff } from '../test/support/fixtures.js';
import { seedSarCustomer } from '../test/support/sar-fixture.js';
import { signInAs } from '../test/auth/support.js';
import { openMediaStore } from '../src/media/open-store.js';

const MESSAGES = Number(process.env.BENCH_SAR_MESSAGES ?? 5000);
const SAMPLES = Number(process.env.BENCH_SAR_SAMPLES ?? 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((e) => e.trim()).filter(Boolean);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_MS = 1000;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** The COPY statements of the rows the export reads. */
function copies(orgId: string, customerId: string, conversationId: string): string[] {
  const inConversation = `org_id = '${orgId}' AND conversation_id = '${conversationId}'`;
  const ofCustomer = `org_id = '${orgId}' AND customer_id = '${customerId}'`;
  return [
    `SELECT * FROM customers WHERE org_id = '${orgId}' AND id = '${customerId}'`,
    `SELECT * FROM messages WHERE ${inConversation}`,
    `SELECT c.* FROM calls c JOIN messages m ON m.org_id = c.org_id AND m.id = c.message_id WHERE m.${inConversation.replace(' AND ', ' AND m.')}`,
    `SELECT * FROM media_objects WHERE ${inConversation}`,
    `SELECT * FROM customer_consents WHERE ${ofCustomer}`,
    `SELECT * FROM consent_audit_log WHERE ${ofCustomer}`,
    `SELECT * FROM vehicles WHERE ${ofCustomer}`,
    `SELECT * FROM work_orders WHERE ${ofCustomer}`,
    `SELECT * FROM portal_links WHERE ${ofCustomer}`,
    `SELECT * FROM portal_sessions WHERE ${ofCustomer}`,
  ];
}

async function runEngine(engine: string): Promise<void> {
  if (engine === 'postgres') process.env.DATABASE_URL = PG_URL;
  else delete process.env.DATABASE_URL;
  let server: TestServer | null = null;
  try {
    server = await startTestServer({ RUN_WORKER: 'false', LOG_LEVEL: 'silent' });
    const org = await createOrg(server.db);
    const owner = await createStaff(server.db, org, 'owner');
    const session = await signInAs(server, owner.email);
    const seeded = await timed(() => seedSarCustomer(server!.db, openMediaStore(server!.config), org.id, { messages: MESSAGES, staffUserId: owner.id }));
    const customer = seeded.value;
    if (engine === 'postgres') await sql`VACUUM ANALYZE`.execute(server.db);

    const url = `${server.baseUrl}/v1/customers/${customer.customerId}/export`;
    const once = async () => {
      const res = await fetch(url, { headers: { cookie: session.cookie } });
      if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
      return (await res.arrayBuffer()).byteLength;
    };
    for (let i = 0; i < 2; i++) await once();
    const exports: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SAMPLES; i++) { const t = await timed(once); exports.push(t.ms); bytes = t.value; }

    const target = engine === 'postgres' ? `'/dev/null'` : `'/dev/blob'`;
    const statements = copies(org.id, customer.customerId, customer.conversationId);
    const copyOnce = async () => { for (const s of statements) await sql.raw(`COPY (${s}) TO ${target}`).execute(server!.db); };
    await copyOnce();
    const copyTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) copyTimes.push((await timed(copyOnce)).ms);

    const exportMedian = median(exports);
    const copyMedian = median(copyTimes);
    console.log(`${engine.padEnd(8)} ${MESSAGES} messages (seeded in ${(seeded.ms / 1000).toFixed(1)} s): export median ${exportMedian.toFixed(0)} ms, max ${Math.max(...exports).toFixed(0)} ms, zip ${(bytes / 1024).toFixed(0)} KiB; ` +
      `COPY of the same rows median ${copyMedian.toFixed(1)} ms; ratio ${(exportMedian / copyMedian).toFixed(1)}x; ${exportMedian <= TARGET_MS ? 'PASS' : 'MISS'} (target <= ${TARGET_MS} ms)`);
  } finally {
    await server?.close();
  }
}

try {
  console.log(`SAR export benchmark: ${SAMPLES} samples per engine after 2 warm-ups, on ${ENGINES.join(' and ')}`);
  for (const engine of ENGINES) await runEngine(engine);
} catch (e) {
  console.error(e);
  process.exit(1);
}
