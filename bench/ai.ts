/**
 * AI receptionist benchmark: the overhead of the AI path, from a customer
 * message committed to the AI's reply queued for delivery, excluding model
 * time, against the floor of composing the same reply by hand.
 *
 * Per conversation (BENCH_AI_CONVERSATIONS customers with a WhatsApp message
 * in an open window, recorded by `recordInbound` + `scheduleAiReply` in one
 * transaction, as the webhook does):
 * - AI path: `runAiReply` (src/ai/reply.job.ts) with an instant model driver
 *   (returns a fixed structured answer, no I/O): read the turn, build the
 *   prompt from the conversation (context builder + tokenizer), then the
 *   send transaction — lock, re-check the turn, record the answer, compose
 *   through `composeInTransaction` (consent, window, outbox job), debit and
 *   settle the credits. Timed from the call to its return (reply queued).
 * - floor: `composeMessage` of the same text by a staff sender on a twin
 *   conversation in the same state (what a person's reply costs).
 * The two alternate, one conversation each, so drift hits both alike.
 * Prints p50/p95/mean per path and AI/floor ratios; checks every AI run
 * queued exactly one reply. Exit 1 when a check fails, never for speed.
 *
 * Run: npm run bench:ai   (PGlite in memory; with DATABASE_URL, a fresh
 * PostgreSQL database `tf_bench_ai_<random>` is created and dropped).
 * Environment: BENCH_AI_CONVERSATIONS (default 200).
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { withTenant } from '../src/db/tenant.js';
import { startJobQueue } from '../src/jobs/queue.js';
import { sendingQueues } from '../src/sending/queues.js';
import { composeMessage } from '../src/sending/compose-message.js';
import { recordInbound } from '../src/ingest/record-inbound.js';
import { aiQueues, scheduleAiReply } from '../src/ai/queue.js';
import { runAiReply } from '../src/ai/reply.job.js';
import type { AiDriver } from '../src/ai/driver.js';
import { createCustomer, createOrg } from '../test/support/fixtures.js';
import { withBenchDatabase } from './support/database.js';
import { percentile } from './support/load.js';

const N = Number(process.env.BENCH_AI_CONVERSATIONS ?? 200);
const REPLY = 'Thanks for getting in touch! We would be happy to book you in; a member of the team will confirm a time shortly.';

const instantDriver: AiDriver = {
  name: 'sandbox',
  answer: async () => ({ reply: REPLY, action: 'reply', category: 'booking', handoffReason: null, usage: { promptTokens: 400, completionTokens: 30 } }),
};

function stats(label: string, ms: number[]): { p50: number; p95: number; mean: number } {
  const sorted = Float64Array.from(ms).sort();
  const s = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
  console.log(`  ${label.padEnd(34)} p50 ${s.p50.toFixed(2).padStart(7)} ms   p95 ${s.p95.toFixed(2).padStart(7)} ms   mean ${s.mean.toFixed(2).padStart(7)} ms`);
  return s;
}

async function run(engine: string, handle: ReturnType<typeof openDatabase>): Promise<boolean> {
  const config = loadConfig({ SEED_DEMO: 'false', LOG_LEVEL: 'silent', AI_DEBOUNCE_MS: '0', ...(handle.databaseUrl ? { DATABASE_URL: handle.databaseUrl } : {}) });
  await migrateToLatest(handle.db);
  const queue = await startJobQueue(handle, { ...sendingQueues(config), ...aiQueues(config) });
  const db: Kysely<Database> = handle.db;
  try {
    const org = await createOrg(db, { name: 'Bench Motors' });
    await db.updateTable('organisations').set({ ai_enabled: true }).where('id', '=', org.id).execute();
    let seq = 0;
    const inbound = async (): Promise<string> => {
      const c = await createCustomer(db, org.id);
      return withTenant(db, org.id, async (trx) => {
        const r = await recordInbound(trx, org.id, {
          channel: 'whatsapp', provider: 'whatsapp', providerMessageId: `wamid.bench${process.pid}x${++seq}`, from: c.phone!, contactName: null,
          contentType: 'text', body: 'Hi, can I book an MOT for Friday? It is the silver Golf.', media: [], metadata: {}, occurredAt: new Date(), providerClock: true,
        });
        await scheduleAiReply(trx, queue, config, org.id, r.conversationId);
        return r.conversationId;
      });
    };
    const deps = { db, queue, config, driver: instantDriver };
    const settings = { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };
    // Warm-up (plans, tokenizer tables), unmeasured.
    for (let i = 0; i < 10; i++) {
      await runAiReply(deps, { orgId: org.id, conversationId: await inbound() }, false);
      await composeMessage(db, queue, org.id, { conversationId: await inbound(), sender: { type: 'staff', userId: null }, body: REPLY }, settings);
    }
    const ai: number[] = [];
    const floor: number[] = [];
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      const a = await inbound();
      let t = performance.now();
      const r = await runAiReply(deps, { orgId: org.id, conversationId: a }, false);
      ai.push(performance.now() - t);
      if (r.outcome !== 'answered' || r.compose !== 'queued') wrong++;
      const b = await inbound();
      t = performance.now();
      await composeMessage(db, queue, org.id, { conversationId: b, sender: { type: 'staff', userId: null }, body: REPLY }, settings);
      floor.push(performance.now() - t);
    }
    console.log(`\n${engine}: ${N} conversations, model time excluded (instant driver)`);
    const sa = stats('AI path (inbound → reply queued)', ai);
    const sf = stats('floor (compose the reply by hand)', floor);
    console.log(`  ratio AI/floor: p50 ${(sa.p50 / sf.p50).toFixed(2)}×   p95 ${(sa.p95 / sf.p95).toFixed(2)}×   mean ${(sa.mean / sf.mean).toFixed(2)}×`);
    console.log(`  AI overhead over the floor: ${(sa.mean - sf.mean).toFixed(2)} ms per reply (turn checks, prompt, answer record, credits)`);
    if (wrong > 0) console.log(`  CHECK FAILED: ${wrong} AI runs did not queue exactly one reply`);
    return wrong === 0;
  } finally {
    await queue.stop();
  }
}

async function main(): Promise<void> {
  let ok: boolean;
  if (process.env.DATABASE_URL) {
    ok = await withBenchDatabase(process.env.DATABASE_URL, 'tf_bench_ai_', async (bench) => {
      const handle = openDatabase({ databaseUrl: bench.url, poolMax: 8 });
      try { return await run('PostgreSQL', handle); } finally { await handle.close(); }
    });
  } else {
    const handle = openDatabase({ dataDir: null });
    try { ok = await run('PGlite (in memory)', handle); } finally { await handle.close(); }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
