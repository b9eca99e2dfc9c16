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
 * - idle: BENCH_IDLE_MESSAGES messages composed one at a time into the
 *   drained outbox (200 ms apart); prints compose→sent p50/p99 (target p99
 *   ≤ 100 ms on PostgreSQL). Targets print as PASS/MISS (issue 16).
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
 * Several instances (`--instances N` or BENCH_INSTANCES, PostgreSQL only;
 * issue 16 item 7): N application instances on the one database, each with
 * its own connection pool and its own pg-boss (pool, LISTEN connection,
 * supervisor, delivery workers), as N servers would have. The first is this
 * process, exactly as with one instance (it migrates; the fixtures, floor,
 * idle and race compose through it); the others are child processes
 * (bench/send-support/instance-child.ts, `startStack` as here), started
 * once the first has migrated and before the fixtures exist (as the first
 * was). Why children and not more stacks in this process: each `startStack`
 * would open its own pools and pg-boss here too (nothing is shared at that
 * level), but all of them would run on this one event loop and core, so a
 * second instance would add connections and claimers but no application
 * CPU, and its claims, NOTIFY wake-ups and completions would queue behind
 * the first's callbacks instead of racing them as two servers' do. The
 * outbox's composes go round-robin over the instances (message i to
 * instance i mod N, BENCH_COMPOSE_CONCURRENCY split among them); every
 * instance's workers claim from the same queue. The figures are the
 * combined ones (outbox msg/s against the floor, database CPU per sent
 * message: all instances' backends are in the one database), plus per
 * instance the messages it composed and those its workers handed to the
 * provider (its `torqueflow_deliveries_total{outcome="accepted"}`), which
 * shows how the queue claims split; the idle line's messages are claimed by
 * whichever instance wakes first, and so are the bridge race's. Every
 * exactly-once check reads the one database and the one fake provider, so
 * it covers all instances; with several, the per-instance deliveries must
 * also add up to the messages sent. PGlite stays one instance and says so.
 *
 * Exit status: 1 when any correctness check fails (a message not sent, sent
 * twice, a bridge count other than 1, the time limit reached before every
 * message was delivered) or the run breaks; never for speed.
 *
 * Run:  npm run bench:send [-- --instances 2]
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
 *   BENCH_INSTANCES             1      application instances on the PostgreSQL database (also --instances N; PGlite: 1)
 *   BENCH_PGLITE_MESSAGES       1000   outbox messages (and floor requests) on PGlite
 *   BENCH_IDLE_MESSAGES         100    messages sent one at a time into the idle outbox
 *   BENCH_PROFILE               0      1: print the statements per sent message on PostgreSQL
 *                                      (bench/support/statement-profile.ts)
 *   DB_POOL_MAX                 8      the app's PostgreSQL pool (the app's default), per instance
 *   DATABASE_URL                postgres://postgres@127.0.0.1:5432/postgres
 *                                      (server on which the per-run database is created)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { BenchChild } from './support/child.js';
import { backgroundLoad } from './support/cpu.js';
import { percentile } from './support/load.js';
import { sampleCpu, type CpuUse } from './send-support/cpu.js';
import { runIdle, type IdleResult } from './send-support/idle.js';
import { installStatementProfile, resetStatementProfile, statementProfileReport } from './support/statement-profile.js';
import { startFakeTwilioChild, type FakeTwilioChild } from './send-support/fake-twilio.js';
import type { FromInstance, InstancePlan, ToInstance } from './send-support/instance-protocol.js';
import { composeAll, runFloor, runOutbox, runRace, type Composer, type FloorResult, type OutboxResult, type RaceResult } from './send-support/phases.js';
import { withBenchDatabase } from './support/database.js';
import { createBenchOrg, createSmsConversations, deliveriesAccepted, startStack, type Engine, type Stack } from './send-support/stack.js';

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
  idleMessages: number;
  profile: boolean;
  pool: number;
  instances: number;
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
  const { values } = parseArgs({ options: { instances: { type: 'string' } }, strict: false });
  const int = (name: string, fallback: () => number, min: number, max: number, flag?: string | boolean): number => {
    const raw = typeof flag === 'string' ? flag : env[name];
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
    idleMessages: int('BENCH_IDLE_MESSAGES', () => 100, 1, 10_000),
    profile: env.BENCH_PROFILE === '1',
    pool: int('DB_POOL_MAX', () => loadConfig({}).DB_POOL_MAX, 1, 200),
    instances: int('BENCH_INSTANCES', () => 1, 1, 16, values.instances),
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

const OUTBOX_PHONES = 910_000; // +447700910000 …
const RACE_PHONES = 900_000; // +447700900000 … (the UK drama range)

/** Per application instance (the first is this process): its pid and what its workers delivered in the outbox and idle phases. */
type InstanceResult = { pid: number; outboxDelivered: number; idleDelivered: number };

type EngineResult = {
  engine: Engine;
  floor: FloorResult;
  outbox: OutboxResult;
  idle: IdleResult;
  race: RaceResult;
  cpu: CpuUse;
  poll: number;
  instances: InstanceResult[];
};

type InstanceChild = BenchChild<FromInstance, ToInstance>;
const INSTANCE_START_TIMEOUT_MS = 120_000;
const INSTANCE_ANSWER_TIMEOUT_MS = 60_000;

/** Start `count` further instances as child processes, together; each is pushed onto `started` as soon as it is forked. */
async function startInstances(plan: InstancePlan, count: number, started: InstanceChild[]): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, async () => {
    const child: InstanceChild = BenchChild.start(new URL('./send-support/instance-child.ts', import.meta.url), { BENCH_INSTANCE_PLAN: JSON.stringify(plan) }, 'instance child');
    started.push(child);
    return (await child.next('ready', INSTANCE_START_TIMEOUT_MS)).pid;
  }));
}

/** Composes on an instance child: the IPC counterpart of `composeAll` on this process's stack. */
function childComposer(child: InstanceChild, orgId: string, timeoutMs: number): Composer {
  return async (items, concurrency) => {
    const { type: _type, ...tally } = await child.ask({ type: 'compose', orgId, items, concurrency }, 'composed', timeoutMs);
    return tally;
  };
}

/** Deliveries accepted so far by each instance's workers, this process first. */
function deliveredPerInstance(stack: Stack, children: InstanceChild[]): Promise<number[]> {
  return Promise.all([
    deliveriesAccepted(stack.app),
    ...children.map(async (child) => (await child.ask({ type: 'deliveries' }, 'deliveries', INSTANCE_ANSWER_TIMEOUT_MS)).accepted),
  ]);
}

/**
 * ANALYZE the fixtures (PostgreSQL) and say when autovacuum is off: without
 * statistics the planner picks plans a running server would not (issue 16's
 * profile found the send context scanning every conversation of the garage).
 */
async function freshStatistics(db: Kysely<Database>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`ANALYZE`.execute(db);
  const { rows } = await sql<{ setting: string }>`SELECT setting FROM pg_settings WHERE name = 'autovacuum'`.execute(db);
  if (rows[0]?.setting === 'off') console.log('note: autovacuum is off on this server; the benchmark ran ANALYZE after creating its fixtures, nothing analyses the tables as they grow during the run');
}

async function runEngine(
  engine: Engine,
  databaseUrl: string | null,
  databaseName: string | null,
  fake: FakeTwilioChild,
  o: Options,
  messages: number,
  instances: number,
): Promise<EngineResult> {
  const run = randomBytes(3).toString('hex');
  const plan: InstancePlan = { databaseUrl, poolMax: o.pool, twilioBaseUrl: fake.baseUrl };
  const stack = await startStack(plan);
  const children: InstanceChild[] = [];
  let raceDb: Kysely<Database> | null = null;
  try {
    // The further instances start on the schema this one migrated, before the fixtures exist (as this one did).
    const childPids = await startInstances(plan, instances - 1, children);
    const org = await createBenchOrg(stack.db);
    const conversations = await createSmsConversations(stack.db, org.id, Math.min(o.conversations, messages), OUTBOX_PHONES);
    // Statistics for the fixtures, as autovacuum would gather them on a running server (it may be off here).
    await freshStatistics(stack.db, engine);
    const body = (kind: string) => (i: number) => `Bench ${kind} ${run} #${String(i).padStart(6, '0')}: your car is ready for collection, see you soon.`;
    const label = `${engine}`;
    const common = { fake, org, config: stack.config, recipients: conversations, concurrency: o.floorConcurrency };
    if (o.floorWarmup > 0) {
      const warm = await runFloor({ ...common, label: `${label} floor warm-up`, count: o.floorWarmup, body: body('warmup') });
      if (warm.problems.length) throw new Error(warm.problems.join('\n'));
    }
    const floor = await runFloor({ ...common, label: `${label} floor`, count: messages, body: body('floor') });

    const composers: Composer[] = [
      (items, concurrency) => composeAll(stack, org.id, items, concurrency),
      ...children.map((child) => childComposer(child, org.id, o.maxSeconds * 1000)),
    ];
    const delivered0 = await deliveredPerInstance(stack, children);
    if (o.profile) resetStatementProfile();
    const cpu = sampleCpu(fake.pid, databaseName, childPids);
    let cpuUse: CpuUse = { text: 'cpu: n/a', postgresSeconds: null };
    const outbox = await runOutbox({
      label: `${label} outbox`,
      stack,
      fake,
      org,
      conversations,
      count: messages,
      composeConcurrency: o.composeConcurrency,
      composers,
      body: body('outbox'),
      bodyPrefix: `Bench outbox ${run} #`,
      maxMs: o.maxSeconds * 1000,
      progress: (line) => console.error(`  ... ${line}`),
      progressMs: 60_000,
    }).finally(() => {
      cpuUse = cpu.stop();
    });
    if (o.profile && databaseUrl) console.log(`${label} outbox ${statementProfileReport(outbox.sent)}`);
    const delivered1 = await deliveredPerInstance(stack, children);

    const idle = await runIdle({ label: `${label} idle`, stack, fake, org, conversations, count: o.idleMessages, gapMs: 200, body: body('idle') });
    const delivered2 = await deliveredPerInstance(stack, children);
    const perInstance = [process.pid, ...childPids].map((pid, k) => ({
      pid,
      outboxDelivered: delivered1[k]! - delivered0[k]!,
      idleDelivered: delivered2[k]! - delivered1[k]!,
    }));

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
    return { engine, floor, outbox, idle, race, cpu: cpuUse, poll: stack.queue.pollingIntervalSeconds, instances: perInstance };
  } finally {
    await raceDb?.destroy();
    await Promise.all(children.map((child) => child.stop()));
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

/** " - PASS (target)" / " - MISS (target)" where the target applies to this engine, else nothing. */
function target(applies: boolean, met: boolean, text: string): string {
  return applies ? ` - ${met ? 'PASS' : 'MISS'} (${text})` : '';
}

/**
 * Prints one line per instance: the outbox messages it composed and those its workers delivered (how the
 * queue claims split), and the idle phase's deliveries.
 * @returns problems: the per-instance deliveries must add up to the messages sent
 */
function reportInstances(r: EngineResult): string[] {
  const x = r.outbox;
  for (const [k, instance] of r.instances.entries()) {
    const who = k === 0 ? `this process, pid ${instance.pid}` : `child, pid ${instance.pid}`;
    const share = x.sent > 0 ? ` (${((instance.outboxDelivered * 100) / x.sent).toFixed(0)}%)` : '';
    console.log(
      `  instance ${k + 1} (${who}): composed ${x.composedPerInstance[k] ?? 0}, its workers delivered ${instance.outboxDelivered}${share}; ` +
        `idle phase: delivered ${instance.idleDelivered}`,
    );
  }
  const outboxTotal = r.instances.reduce((n, i) => n + i.outboxDelivered, 0);
  const idleTotal = r.instances.reduce((n, i) => n + i.idleDelivered, 0);
  const problems: string[] = [];
  if (outboxTotal !== x.sent) problems.push(`${r.engine} outbox: the instances' workers delivered ${outboxTotal} for ${x.sent} messages sent`);
  if (idleTotal !== r.idle.latencies.length) problems.push(`${r.engine} idle: the instances' workers delivered ${idleTotal} for ${r.idle.latencies.length} messages sent`);
  return problems;
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
  console.log(`  ${r.cpu.text}`);
  const instanceProblems = r.instances.length > 1 ? reportInstances(r) : [];
  const ratio = floorRate > 0 ? outboxRate / floorRate : 0;
  console.log(`${e} outbox/floor: ${ratio.toFixed(2)}${target(e === 'postgres', ratio >= 0.5, 'target >= 0.5 on PostgreSQL')}`);
  if (r.cpu.postgresSeconds !== null && x.sent > 0) {
    const perMessage = (r.cpu.postgresSeconds * 1000) / x.sent;
    console.log(`${e} database CPU per sent message: ${perMessage.toFixed(2)} ms${target(true, perMessage <= 1.5, 'target <= 1.5 ms')}`);
  }
  const idleMs = (p: number) => percentile(r.idle.latencies, p);
  console.log(
    `${e} idle compose->sent (${r.idle.latencies.length} messages one at a time): p50 ${idleMs(50).toFixed(0)} ms, p99 ${idleMs(99).toFixed(0)} ms, max ${idleMs(100).toFixed(0)} ms` +
      target(e === 'postgres', idleMs(99) <= 100, 'target p99 <= 100 ms on PostgreSQL'),
  );

  const b = r.race;
  console.log(
    `${e} bridge race: ${b.sendsPerConversation} concurrent sends x ${b.conversations} conversations -> ` +
      `bridge SMS per conversation: ${summary(b.bridgesStored)}; delivered to the provider: ${summary(b.bridgesDelivered)}` +
      `; each race settled in ${Math.min(...b.raceMs).toFixed(0)}-${Math.max(...b.raceMs).toFixed(0)} ms`,
  );
  const problems = [...f.problems, ...x.problems, ...instanceProblems, ...r.idle.problems, ...b.problems];
  for (const p of problems) console.log(`  FAIL ${p}`);
  return problems.length === 0;
}

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const o = readOptions();
  if (o.profile) installStatementProfile();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) console.log(`warning: running on node ${process.version}; use \`npm run bench:send\` to get the project's Node 22`);
  console.log(
    `send benchmark: ${o.messages} SMS on PostgreSQL${o.pglite ? `, ${o.pgliteMessages} on PGlite` : ''}, over ${o.conversations} conversations in 1 garage; ` +
      `composeMessage x${o.composeConcurrency} concurrent, real delivery workers (OUTBOUND_PROVIDERS=live) -> fake Twilio in a child process; node ${process.version}`,
  );
  if (o.instances > 1) {
    console.log(
      `instances: ${o.instances} application instances on the one PostgreSQL database: this process (migrates; fixtures, floor, idle and race through it) ` +
        `and ${o.instances - 1} child process${o.instances > 2 ? 'es' : ''}, each with its own pool (${o.pool}) and pg-boss delivery workers; ` +
        `outbox composes round-robin over them, ${o.composeConcurrency} composers in all`,
    );
  }
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
        ok = report(await runEngine('postgres', pgDb.url, pgDb.name, fake, o, o.messages, o.instances), o) && ok;
      },
      () => void fake.stop(),
    );
    if (o.pglite) {
      console.log(`pglite: in-memory (dataDir null), single connection${o.instances > 1 ? '; one instance (BENCH_INSTANCES applies to PostgreSQL only: the embedded database lives inside its process)' : ''}`);
      ok = report(await runEngine('pglite', null, null, fake, o, o.pgliteMessages, 1), o) && ok;
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
