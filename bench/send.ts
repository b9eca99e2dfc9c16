/**
 * Send benchmark: how fast the transactional outbox delivers outbound SMS,
 * against the fastest the provider calls alone could go, and whether the
 * bridge SMS stays at one per conversation under a concurrent burst.
 *
 * What it measures, per database engine (PostgreSQL first, then embedded
 * PGlite with a smaller count):
 * - floor: the same number of Twilio sends made directly with the real
 *   adapter (`createTwilioSmsAdapter`, a fresh one per message as the
 *   worker's registry builds it) against the same fake Twilio, at the
 *   delivery worker's concurrency (`DELIVERY_CONCURRENCY` in
 *   src/sending/workers.ts, read from that file), after an unmeasured
 *   warm-up. Prints msg/s.
 * - outbox: BENCH_MESSAGES outbound SMS composed with `composeMessage`
 *   (the function behind `POST /v1/conversations/:id/messages`: consent gate,
 *   message row and pg-boss delivery job committed in one tenant
 *   transaction) by BENCH_COMPOSE_CONCURRENCY concurrent composers, spread
 *   over BENCH_CONVERSATIONS customers' conversations in one garage, and
 *   delivered by the real workers (`startSendingWorkers`, registered by
 *   `startServer` as in `src/main.ts`, OUTBOUND_PROVIDERS=live) to the fake
 *   Twilio. End to end = first compose started → the last message's
 *   provider id committed (its `sent_at`); prints msg/s, the compose rate,
 *   the compose→sent latency per message, where the CPU went, and
 *   outbox/floor.
 *   Checks: every message ends `sent` with the provider's price stored,
 *   after exactly one attempt; the fake received exactly one request per
 *   message (none twice) and the stored provider id is the sid the fake
 *   answered for that message; every delivery job completed, none retried.
 * - bridge race: BENCH_RACE_CONVERSATIONS fresh conversations whose
 *   WhatsApp window expired (arranged through the real signed WhatsApp
 *   webhook with a message timestamped 30 hours ago); into each,
 *   BENCH_RACE_SENDS concurrent staff free-form WhatsApp sends through
 *   `composeMessage`, each on its own pre-opened connection (a dedicated
 *   pool as wide as the burst on PostgreSQL). Counts the bridge SMS stored
 *   (notification_type `bridge`) and, once the workers delivered them, the
 *   requests the fake Twilio received for each conversation. Both must be 1.
 *
 * The fake Twilio (test/support/fake-providers `startFakeTwilio`: Twilio's
 * Messages API request and response formats) runs in a child process
 * (bench/send-support/fake-twilio-child.ts) so it does not share the
 * worker's event loop. It answers every send `201` with status `sent`, so a
 * message reaches status `sent` when its provider id is committed.
 *
 * PostgreSQL: a fresh database `tf_bench_send_<random>` is created on the
 * server named by DATABASE_URL, migrated (`migrateToLatest`, via
 * `startServer`) and dropped at the end (`WITH (FORCE)`), also on failure or
 * Ctrl-C. PGlite runs in memory.
 *
 * Exit status: 1 when any correctness check fails (a message not sent, sent
 * twice, a bridge count other than 1, the time limit reached before every
 * message was delivered) or the run breaks; never for speed.
 *
 * Run:  npm run bench:send
 *   (package.json script: "bench:send": "node --import tsx bench/send.ts";
 *    without it: node_modules/.bin/node --import tsx bench/send.ts)
 *
 * Environment (default):
 *   BENCH_MESSAGES              10000  outbox messages on PostgreSQL (and floor requests)
 *   BENCH_CONVERSATIONS         500    conversations (customers) the messages are spread over
 *   BENCH_COMPOSE_CONCURRENCY   8      concurrent composeMessage calls
 *   BENCH_FLOOR_CONCURRENCY     DELIVERY_CONCURRENCY from src/sending/workers.ts (8)
 *   BENCH_FLOOR_WARMUP          500    unmeasured floor requests first
 *   BENCH_RACE_CONVERSATIONS    20     conversations raced
 *   BENCH_RACE_SENDS            50     concurrent sends per conversation
 *   BENCH_MAX_SECONDS           3600   time limit for the outbox to deliver, per engine
 *   BENCH_PGLITE                1      0: PostgreSQL only
 *   BENCH_PGLITE_MESSAGES       1000   outbox messages (and floor requests) on PGlite
 *   DB_POOL_MAX                 8      the app's PostgreSQL pool (the app's default)
 *   DATABASE_URL                postgres://postgres@127.0.0.1:5432/postgres
 *                                      (server on which the per-run database is created)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { backgroundLoad } from './support/cpu.js';
import { percentile } from './support/load.js';
import { sampleCpu } from './send-support/cpu.js';
import { startFakeTwilioChild, type FakeTwilioChild } from './send-support/fake-twilio.js';
import { runFloor, runOutbox, runRace, type FloorResult, type OutboxResult, type RaceResult } from './send-support/phases.js';
import { withBenchDatabase } from './support/database.js';
import { createBenchOrg, createSmsConversations, startStack, type Engine } from './send-support/stack.js';

type Options = {
  messages: number;
  conversations: number;
  composeConcurrency: number;
  floorConcurrency: number;
  floorWarmup: number;
  raceConversations: number;
  raceSends: number;
  maxSeconds: number;
  pglite: boolean;
  pgliteMessages: number;
  pool: number;
  databaseUrl: string;
};

/** The worker's DELIVERY_CONCURRENCY, read from its source so the floor follows it. */
function deliveryConcurrency(): number {
  const source = readFileSync(new URL('../src/sending/workers.ts', import.meta.url), 'utf8');
  const m = /const DELIVERY_CONCURRENCY = (\d+);/.exec(source);
  if (!m) throw new Error('could not find DELIVERY_CONCURRENCY in src/sending/workers.ts; set BENCH_FLOOR_CONCURRENCY');
  return Number(m[1]);
}

function readOptions(): Options {
  const env = process.env;
  const int = (name: string, fallback: () => number, min: number, max: number): number => {
    const raw = env[name];
    const n = raw === undefined || raw === '' ? fallback() : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  return {
    messages: int('BENCH_MESSAGES', () => 10_000, 1, 1_000_000),
    conversations: int('BENCH_CONVERSATIONS', () => 500, 1, 50_000),
    composeConcurrency: int('BENCH_COMPOSE_CONCURRENCY', () => 8, 1, 256),
    floorConcurrency: int('BENCH_FLOOR_CONCURRENCY', deliveryConcurrency, 1, 256),
    floorWarmup: int('BENCH_FLOOR_WARMUP', () => 500, 0, 1_000_000),
    raceConversations: int('BENCH_RACE_CONVERSATIONS', () => 20, 1, 1000),
    raceSends: int('BENCH_RACE_SENDS', () => 50, 2, 80),
    maxSeconds: int('BENCH_MAX_SECONDS', () => 3600, 1, 86_400),
    pglite: env.BENCH_PGLITE !== '0' && env.BENCH_PGLITE !== 'false',
    pgliteMessages: int('BENCH_PGLITE_MESSAGES', () => 1000, 1, 1_000_000),
    pool: int('DB_POOL_MAX', () => loadConfig({}).DB_POOL_MAX, 1, 200),
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

const OUTBOX_PHONES = 910_000; // +447700910000 …
const RACE_PHONES = 900_000; // +447700900000 … (the UK drama range)

type EngineResult = { engine: Engine; floor: FloorResult; outbox: OutboxResult; race: RaceResult; cpu: string; poll: number };

async function runEngine(engine: Engine, databaseUrl: string | null, databaseName: string | null, fake: FakeTwilioChild, o: Options, messages: number): Promise<EngineResult> {
  const run = randomBytes(3).toString('hex');
  const stack = await startStack({ databaseUrl, poolMax: o.pool, twilioBaseUrl: fake.baseUrl });
  let raceDb: Kysely<Database> | null = null;
  try {
    const org = await createBenchOrg(stack.db);
    const conversations = await createSmsConversations(stack.db, org.id, Math.min(o.conversations, messages), OUTBOX_PHONES);
    const body = (kind: string) => (i: number) => `Bench ${kind} ${run} #${String(i).padStart(6, '0')}: your car is ready for collection, see you soon.`;
    const label = `${engine}`;
    const common = { fake, org, config: stack.config, recipients: conversations, concurrency: o.floorConcurrency };
    if (o.floorWarmup > 0) {
      const warm = await runFloor({ ...common, label: `${label} floor warm-up`, count: o.floorWarmup, body: body('warmup') });
      if (warm.problems.length) throw new Error(warm.problems.join('\n'));
    }
    const floor = await runFloor({ ...common, label: `${label} floor`, count: messages, body: body('floor') });

    const cpu = sampleCpu(fake.pid, databaseName);
    let cpuText = '';
    const outbox = await runOutbox({
      label: `${label} outbox`,
      stack,
      fake,
      org,
      conversations,
      count: messages,
      composeConcurrency: o.composeConcurrency,
      body: body('outbox'),
      bodyPrefix: `Bench outbox ${run} #`,
      maxMs: o.maxSeconds * 1000,
      progress: (line) => console.error(`  ... ${line}`),
      progressMs: 60_000,
    }).finally(() => {
      cpuText = cpu.stop();
    });

    // A pool as wide as the burst, so every send holds its own connection (PGlite has one connection).
    raceDb = databaseUrl ? openDatabase({ databaseUrl, poolMax: o.raceSends }).db : null;
    const race = await runRace({
      label: `${label} bridge race`,
      stack,
      raceDb: raceDb ?? stack.db,
      fake,
      org,
      conversations: o.raceConversations,
      sends: o.raceSends,
      run,
      firstPhone: RACE_PHONES,
      maxMs: 120_000,
    });
    return { engine, floor, outbox, race, cpu: cpuText, poll: stack.queue.pollingIntervalSeconds };
  } finally {
    await raceDb?.destroy();
    await stack.close();
  }
}

// ---------------------------------------------------------------------------
// Report

const rate = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0);
const s = (ms: number) => (ms / 1000).toFixed(1);

function summary(values: number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const counts = [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<number, number>())].sort((a, b) => a[0] - b[0]);
  const head = min === max ? `${min}` : counts.map(([v, n]) => `${v} in ${n}`).join(', ');
  return `${head} (min ${min}, max ${max})`;
}

function report(r: EngineResult, o: Options): boolean {
  const e = r.engine;
  const f = r.floor;
  const floorRate = rate(f.ok, f.elapsedMs);
  console.log(`${e} floor (adapter HTTP only, concurrency ${o.floorConcurrency}): ${f.ok} requests in ${s(f.elapsedMs)} s = ${floorRate.toFixed(0)} msg/s`);

  const x = r.outbox;
  const outboxRate = rate(x.sent, x.elapsedMs);
  const exact = x.problems.length === 0 ? 'all sent exactly once' : 'CHECKS FAILED';
  console.log(`${e} outbox: ${x.sent} messages in ${s(x.elapsedMs)} s = ${outboxRate.toFixed(0)} msg/s (${exact})${x.timedOut ? ` - INCOMPLETE: ${x.sent} of ${x.count} sent within the time limit` : ''}`);
  const lat = (p: number) => s(percentile(x.latencies, p));
  console.log(
    `  composed ${x.composed} in ${s(x.composeMs)} s (${rate(x.composed, x.composeMs).toFixed(0)} msg/s, ${o.composeConcurrency} composers); ` +
      `compose->sent per message: p50 ${lat(50)} s, p99 ${lat(99)} s, max ${lat(100)} s; worker poll interval ${r.poll} s`,
  );
  const tail = x.sent - x.sentWhileComposing;
  console.log(
    `  delivered while composing: ${x.sentWhileComposing} in ${s(x.composeMs)} s (${rate(x.sentWhileComposing, x.composeMs).toFixed(0)} msg/s); ` +
      `after the last compose: ${tail} in ${s(x.tailMs)} s (${rate(tail, x.tailMs).toFixed(0)} msg/s)`,
  );
  console.log(`  ${r.cpu}`);
  console.log(`${e} outbox/floor: ${(floorRate > 0 ? outboxRate / floorRate : 0).toFixed(2)}`);

  const b = r.race;
  console.log(
    `${e} bridge race: ${b.sendsPerConversation} concurrent sends x ${b.conversations} conversations -> ` +
      `bridge SMS per conversation: ${summary(b.bridgesStored)}; delivered to the provider: ${summary(b.bridgesDelivered)}` +
      `; each race settled in ${Math.min(...b.raceMs).toFixed(0)}-${Math.max(...b.raceMs).toFixed(0)} ms`,
  );
  const problems = [...f.problems, ...x.problems, ...b.problems];
  for (const p of problems) console.log(`  FAIL ${p}`);
  return problems.length === 0;
}

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const o = readOptions();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) console.log(`warning: running on node ${process.version}; use \`npm run bench:send\` to get the project's Node 22`);
  console.log(
    `send benchmark: ${o.messages} SMS on PostgreSQL${o.pglite ? `, ${o.pgliteMessages} on PGlite` : ''}, over ${o.conversations} conversations in 1 garage; ` +
      `composeMessage x${o.composeConcurrency} concurrent, real delivery workers (OUTBOUND_PROVIDERS=live) -> fake Twilio in a child process; node ${process.version}`,
  );
  const idle = await backgroundLoad(1000);
  if (idle !== null) console.log(`machine: ${availableParallelism()} cores, ${idle.toFixed(2)} busy before start${idle >= 0.25 ? ' - WARNING: other work is running' : ''}`);

  const fake = await startFakeTwilioChild();
  let ok = true;
  try {
    await withBenchDatabase(
      o.databaseUrl,
      'tf_bench_send_',
      async (pgDb) => {
        console.log(`postgres: fresh database ${pgDb.name} on ${new URL(o.databaseUrl).host}, app pool ${o.pool}`);
        ok = report(await runEngine('postgres', pgDb.url, pgDb.name, fake, o, o.messages), o) && ok;
      },
      () => void fake.stop(),
    );
    if (o.pglite) {
      console.log('pglite: in-memory (dataDir null), single connection');
      ok = report(await runEngine('pglite', null, null, fake, o, o.pgliteMessages), o) && ok;
    }
  } finally {
    await fake.stop();
  }
  console.log(ok ? 'result: all correctness checks passed' : 'result: FAILED (see FAIL lines above)');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
