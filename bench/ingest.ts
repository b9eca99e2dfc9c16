/**
 * Ingest benchmark: how fast the real server stores signed inbound
 * webhooks, compared with the fastest this stack could possibly go.
 *
 * What it measures, per database engine (PostgreSQL, then embedded PGlite):
 * - ingest: signed provider webhooks over real HTTP on 127.0.0.1 at 32
 *   concurrent requests, a ~50/50 mix of Twilio inbound SMS
 *   (`POST /twilio/sms`, form-encoded, `X-Twilio-Signature` from the official
 *   `twilio` package over PUBLIC_BASE_URL + path) and WhatsApp Cloud API
 *   webhooks (`POST /whatsapp/webhook`, `X-Hub-Signature-256` HMAC of the
 *   exact body), from a few hundred senders (about two thirds of them
 *   customers of the one benchmark garage, some with active work orders; the
 *   rest unknown numbers). Prints messages/s, p50 and p99 latency, and the
 *   number of rows in `messages` after the run against the number of
 *   webhooks sent (every one carries a distinct provider message id, so the
 *   two must be equal, with no duplicates).
 * - floor: `POST /bench/floor`, a route this benchmark adds to the app from
 *   `buildApp` (never to `src/`), which commits one plain INSERT per request
 *   into the bench-only table `bench_floor`: same Fastify stack, same Kysely
 *   instance and connection pool, same concurrency, count and body sizes.
 *   `ingest/floor` is the share of the stack's raw capacity that ingest keeps.
 *
 * Each phase is preceded by an unmeasured warm-up of the same traffic; the
 * requests are built and signed before any phase starts. The server runs in
 * a child process (`bench/support/server.ts`, started the way `src/main.ts`
 * starts it, via `startServer`, with whatever that brings up besides HTTP),
 * and this process is only the load generator (node:http, keep-alive), so
 * the two do not share an event loop. On a small machine they still share
 * the cores with PostgreSQL: under each result a `cpu` line says how many
 * cores the server, the load generator and everything else used, and a
 * `machine` line before the run warns when other work was already running.
 *
 * PostgreSQL: a fresh database `tf_bench_<random>` is created on the server
 * named by DATABASE_URL, migrated, and dropped again at the end
 * (`WITH (FORCE)`), also when the run fails. PGlite runs in memory.
 *
 * Several instances (`--instances N`, PostgreSQL only; issue 16 item 7): N
 * server children on the one fresh database, as N stateless instances
 * behind a load balancer. The first migrates and creates the fixtures; the
 * others start once it is ready (they create nothing). Both phases spread
 * their requests round-robin over the instances (request i to instance
 * i mod N, still `--concurrency` in flight in all), so the printed msg/s,
 * p50/p99 and cpu are the combined ones, and contention between the
 * instances (row locks on the shared conversation rows, queue claims,
 * LISTEN/NOTIFY fan-out to every instance) shows in them. Added lines: the
 * database CPU per ingested message, and per instance its requests,
 * p50/p99 and cores used for each phase. The stored-exactly-once check runs over the whole
 * database, i.e. the combined result. PGlite stays one instance (the
 * embedded database lives inside its server) and says so.
 *
 * Targets (PostgreSQL only; printed as PASS/MISS, never fail the process):
 * ingest/floor >= 0.30 and ingest p99 <= 50 ms. The process exits 1 only
 * when what was stored differs from what was sent (missing, unexpected or
 * duplicate messages) or the run itself breaks.
 *
 * Run:  npm run bench:ingest [-- --requests 4000 --warmup 500 ...]
 *
 * Settings (flag, or environment variable, default):
 *   --requests      BENCH_REQUESTS      4000   requests per measured phase
 *   --warmup        BENCH_WARMUP        500    unmeasured requests before each phase
 *   --concurrency   BENCH_CONCURRENCY   32     requests in flight
 *   --senders       BENCH_SENDERS       300    distinct senders (max 1000)
 *   --max-seconds   BENCH_MAX_SECONDS   120    time limit per phase; stops sending after it
 *   --pool          DB_POOL_MAX         8      server's PostgreSQL pool size (the app default, src/config.ts), per instance
 *   --instances     BENCH_INSTANCES     1      server instances on the one PostgreSQL database (PGlite: always 1)
 *   --seed          BENCH_SEED          1      traffic mix seed
 *   --skip-pglite   BENCH_PGLITE=0             PostgreSQL only
 *                   BENCH_LOG_LEVEL     silent server log level
 *                   BENCH_SERVER_NODE_ARGS     extra node flags for the server child (e.g. --cpu-prof)
 *                   DATABASE_URL        postgres://postgres@127.0.0.1:5432/postgres
 *                                       (server used to create the per-run database)
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { BenchChild } from './support/child.js';
import { backgroundLoad, cpuSnapshot, describeCpu, type CpuUse } from './support/cpu.js';
import { withBenchDatabase } from './support/database.js';
import { createClient, percentile, runPhase, type ClientResult, type PhaseResult } from './support/load.js';
import type { Engine, FromServer, ServerPlan, ToServer, Verification } from './support/protocol.js';
import { makeFloorRequests, makeIngestRequests, makeSenders, plannedCustomers, rng, type OrgPlan } from './support/requests.js';

const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 50;
/** Cores of unrelated work on the machine above which the figures are flagged as skewed. */
const OTHER_WORK_WARNING = 0.25;
const SERVER_START_TIMEOUT_MS = 120_000;
const VERIFY_TIMEOUT_MS = 60_000;

type Options = {
  requests: number;
  warmup: number;
  concurrency: number;
  senders: number;
  maxSeconds: number;
  pool: number;
  instances: number;
  seed: number;
  pglite: boolean;
  logLevel: string;
  databaseUrl: string;
};

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      senders: { type: 'string' },
      'max-seconds': { type: 'string' },
      pool: { type: 'string' },
      instances: { type: 'string' },
      seed: { type: 'string' },
      'skip-pglite': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench:ingest [-- --requests N --warmup N --concurrency N --senders N --max-seconds N --pool N --instances N --seed N --skip-pglite]');
    process.exit(0);
  }
  const env = process.env;
  const int = (name: string, flag: string | undefined, envValue: string | undefined, fallback: number, min: number, max: number): number => {
    const raw = flag ?? envValue;
    const n = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  return {
    requests: int('requests', values.requests, env.BENCH_REQUESTS, 4000, 1, 1_000_000),
    warmup: int('warmup', values.warmup, env.BENCH_WARMUP, 500, 0, 1_000_000),
    concurrency: int('concurrency', values.concurrency, env.BENCH_CONCURRENCY, 32, 1, 1024),
    senders: int('senders', values.senders, env.BENCH_SENDERS, 300, 1, 1000),
    maxSeconds: int('max-seconds', values['max-seconds'], env.BENCH_MAX_SECONDS, 120, 1, 3600),
    pool: int('pool', values.pool, env.DB_POOL_MAX, loadConfig({}).DB_POOL_MAX, 1, 200),
    instances: int('instances', values.instances, env.BENCH_INSTANCES, 1, 1, 16),
    seed: int('seed', values.seed, env.BENCH_SEED, 1, 0, 2 ** 31),
    pglite: !values['skip-pglite'] && env.BENCH_PGLITE !== '0' && env.BENCH_PGLITE !== 'false',
    logLevel: env.BENCH_LOG_LEVEL || 'silent',
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

// ---------------------------------------------------------------------------
// The server children

type ServerChild = BenchChild<FromServer, ToServer>;
type Ready = Extract<FromServer, { type: 'ready' }>;

/**
 * Start `count` server children on one database: the first creates the
 * fixtures; the others start once it is ready (together), so they find the
 * schema migrated and the fixtures in place. Every child started is pushed
 * onto `started` as soon as it is forked, so the caller stops it whatever fails.
 */
async function startServers(plan: Omit<ServerPlan, 'fixtures'>, count: number, started: ServerChild[]): Promise<Ready[]> {
  // BENCH_SERVER_NODE_ARGS adds node flags to the server children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const start = async (fixtures: boolean): Promise<Ready> => {
    const server: ServerChild = BenchChild.start(new URL('./support/server.ts', import.meta.url), { BENCH_SERVER_PLAN: JSON.stringify({ ...plan, fixtures }) }, 'server child', nodeArgs);
    started.push(server);
    const info = await server.next('ready', SERVER_START_TIMEOUT_MS);
    if (info.engine !== plan.engine) throw new Error(`server child opened ${info.engine}, expected ${plan.engine}`);
    return info;
  };
  const first = await start(true);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => start(false))))];
}

// ---------------------------------------------------------------------------
// One engine

type EngineResult = {
  engine: Engine;
  floor: PhaseResult;
  ingest: PhaseResult;
  warmupFloor: PhaseResult;
  warmupIngest: PhaseResult;
  verification: Verification;
  ingestSentKeys: string[];
  floorSent: number;
  floorCpu: CpuUse;
  ingestCpu: CpuUse;
  /** The server instances, in the order `perClient` of each phase lists them. */
  servers: Ready[];
};

async function runEngine(engine: Engine, databaseUrl: string | null, o: Options, instances: number): Promise<EngineResult> {
  const databaseName = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : null;
  const run = randomBytes(4).toString('hex');
  const random = rng(o.seed);
  const senders = makeSenders(o.senders);
  const org: OrgPlan = {
    twilioNumber: '+14155550100',
    twilioAuthToken: `bench-${randomBytes(12).toString('hex')}`,
    whatsappPhoneNumberId: '106540352242922',
  };
  const warmIngest = makeIngestRequests({ run, phase: 0, count: o.warmup, senders, org, random });
  const ingest = makeIngestRequests({ run, phase: 1, count: o.requests, senders, org, random });
  const warmFloor = makeFloorRequests({ run, phase: 0, like: warmIngest });
  const floor = makeFloorRequests({ run, phase: 1, like: ingest });

  const servers: ServerChild[] = [];
  try {
    const infos = await startServers({ engine, databaseUrl, poolMax: o.pool, logLevel: o.logLevel, org, customers: plannedCustomers(senders) }, instances, servers);
    const pids = infos.map((i) => i.pid);
    const clients = infos.map((i) => createClient(i.port, o.concurrency));
    const maxMs = o.maxSeconds * 1000;
    try {
      const warmupFloor = await runPhase(clients, warmFloor, o.concurrency, maxMs);
      const warmupIngest = await runPhase(clients, warmIngest, o.concurrency, maxMs);
      const c0 = cpuSnapshot(pids, databaseName);
      const floorResult = await runPhase(clients, floor, o.concurrency, maxMs);
      const c1 = cpuSnapshot(pids, databaseName);
      const ingestResult = await runPhase(clients, ingest, o.concurrency, maxMs);
      const c2 = cpuSnapshot(pids, databaseName);
      // One database: the first instance's answer covers what every instance stored.
      const v = await servers[0]!.ask({ type: 'verify' }, 'verified', VERIFY_TIMEOUT_MS);
      const { type: _type, ...verification } = v;
      return {
        engine,
        floor: floorResult,
        ingest: ingestResult,
        warmupFloor,
        warmupIngest,
        verification,
        // Workers take requests in order, so the first `sent` of each list went out.
        ingestSentKeys: [...warmIngest.slice(0, warmupIngest.sent), ...ingest.slice(0, ingestResult.sent)].map((r) => r.key),
        floorSent: warmupFloor.sent + floorResult.sent,
        floorCpu: describeCpu(c0, c1),
        ingestCpu: describeCpu(c1, c2),
        servers: infos,
      };
    } finally {
      for (const client of clients) client.close();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

// ---------------------------------------------------------------------------
// Report

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const rate = (p: PhaseResult) => (p.elapsedMs > 0 ? (p.ok * 1000) / p.elapsedMs : 0);

type Check = { ok: boolean; lines: string[] };

function checkStored(r: EngineResult): Check {
  const stored = new Set(r.verification.messageKeys);
  const sent = new Set(r.ingestSentKeys);
  const missing = r.ingestSentKeys.filter((k) => !stored.has(k));
  const unexpected = [...stored].filter((k) => !sent.has(k));
  const duplicates = r.verification.messageRows - stored.size;
  const lines: string[] = [];
  if (missing.length > 0) lines.push(`  ${missing.length} sent but not stored, e.g. ${missing.slice(0, 3).join(', ')}`);
  if (unexpected.length > 0) lines.push(`  ${unexpected.length} stored but never sent, e.g. ${unexpected.slice(0, 3).join(', ')}`);
  if (duplicates > 0) lines.push(`  ${duplicates} duplicate rows`);
  if (sent.size !== r.ingestSentKeys.length) lines.push(`  only ${sent.size} distinct message ids among ${r.ingestSentKeys.length} webhooks sent (benchmark bug)`);
  const ok = r.verification.messageRows === r.ingestSentKeys.length && missing.length === 0 && unexpected.length === 0 && duplicates === 0;
  return { ok, lines };
}

function failureLines(label: string, phases: PhaseResult[]): string[] {
  const all = new Map<string, number>();
  for (const p of phases) for (const [k, n] of p.failures) all.set(k, (all.get(k) ?? 0) + n);
  const lines = [...all].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, n]) => `  ${label} non-2xx x${n}: ${k}`);
  for (const p of phases) if (p.timedOut) lines.push(`  ${label}: stopped at the time limit after ${p.sent} requests`);
  return lines;
}

/** Per server instance: the requests it answered in each measured phase, their p50/p99 and the cores it used. */
function instanceLines(r: EngineResult): string[] {
  const phase = (name: string, c: ClientResult, cores: number | null | undefined) =>
    `${name} ${c.sent} requests (${c.ok} ok), p50 ${ms(percentile(c.latencies, 50))} ms, p99 ${ms(percentile(c.latencies, 99))} ms, cpu ${cores == null ? 'n/a' : cores.toFixed(2)}`;
  return r.servers.map(
    (s, k) => `  instance ${k + 1} (pid ${s.pid}): ${phase('ingest', r.ingest.perClient[k]!, r.ingestCpu.eachServer[k])}; ${phase('floor', r.floor.perClient[k]!, r.floorCpu.eachServer[k])}`,
  );
}

function report(r: EngineResult, targets: boolean): boolean {
  const stored = checkStored(r);
  const i = r.ingest;
  const f = r.floor;
  const warm = r.warmupIngest.sent;
  const ingestP99 = percentile(i.latencies, 99);
  console.log(
    `${r.engine} ingest: ${rate(i).toFixed(0)} msg/s  p50 ${ms(percentile(i.latencies, 50))} ms  p99 ${ms(ingestP99)} ms` +
      `  stored ${r.verification.messageRows} / sent ${r.ingestSentKeys.length}` +
      `${warm > 0 ? ` (incl. ${warm} warm-up)` : ''}  ${stored.ok ? 'OK' : 'MISMATCH'}`,
  );
  for (const line of stored.lines) console.log(line);
  console.log(`  ${r.ingestCpu.text}`);
  const several = r.servers.length > 1;
  if (several && r.ingestCpu.postgres !== null && rate(i) > 0) {
    console.log(`  database CPU per message: ${((r.ingestCpu.postgres * 1000) / rate(i)).toFixed(2)} ms (${r.servers.length} instances together)`);
  }
  console.log(
    `${r.engine} floor: ${rate(f).toFixed(0)} req/s  p50 ${ms(percentile(f.latencies, 50))} ms  p99 ${ms(percentile(f.latencies, 99))} ms` +
      `  rows ${r.verification.floorRows} / sent ${r.floorSent}`,
  );
  console.log(`  ${r.floorCpu.text}`);
  if (several) for (const line of instanceLines(r)) console.log(line);
  for (const line of [...failureLines(`${r.engine} ingest`, [r.warmupIngest, i]), ...failureLines(`${r.engine} floor`, [r.warmupFloor, f])]) console.log(line);
  const ratio = rate(f) > 0 ? rate(i) / rate(f) : 0;
  const other = Math.max(r.ingestCpu.other ?? 0, r.floorCpu.other ?? 0);
  if (other >= OTHER_WORK_WARNING) {
    console.log(`  WARNING: other processes used up to ${other.toFixed(2)} cores during a measured phase; these ${r.engine} figures are skewed`);
  }
  if (targets) {
    console.log(`${r.engine} ingest/floor: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}) ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`);
    console.log(`${r.engine} ingest p99: ${ms(ingestP99)} ms (target <= ${TARGET_P99_MS} ms) ${ingestP99 <= TARGET_P99_MS ? 'PASS' : 'MISS'}`);
  } else {
    console.log(`${r.engine} ingest/floor: ${ratio.toFixed(2)} (informational; PGlite is one connection)`);
  }
  return stored.ok;
}

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const o = readOptions();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) console.log(`warning: running on node ${process.version}; use \`npm run bench:ingest\` to get the project's Node 22`);
  const customers = makeSenders(o.senders).filter((s) => s.customer).length;
  console.log(
    `ingest benchmark: ${o.requests} measured + ${o.warmup} warm-up requests per phase, ${o.concurrency} concurrent, keep-alive HTTP to 127.0.0.1, ` +
      `phase limit ${o.maxSeconds} s`,
  );
  console.log(
    `traffic: ~50% Twilio SMS / ~50% WhatsApp Cloud API, all signed, from ${o.senders} senders ` +
      `(${customers} customers, ${o.senders - customers} unknown), 1 organisation, seed ${o.seed}`,
  );
  console.log(
    `setup: server in a child process (startServer + buildApp, LOG_LEVEL ${o.logLevel}, DB pool ${o.pool}); ` +
      `load generator in this process (node:http keep-alive agent, node ${process.version})`,
  );

  if (o.instances > 1) {
    console.log(
      `instances: ${o.instances} server children on the one PostgreSQL database (DB pool ${o.pool} each; the first creates the fixtures, ` +
        `the others start once it is ready); requests round-robin over them, ${o.concurrency} in flight in all`,
    );
  }

  const idle = await backgroundLoad(1000);
  if (idle !== null) {
    const busy = idle >= OTHER_WORK_WARNING;
    console.log(
      `machine: ${availableParallelism()} cores, ${idle.toFixed(2)} busy before start` +
        (busy ? ' - WARNING: other work is running; the figures below compete with it' : ''),
    );
  }

  let allStored = true;
  await withBenchDatabase(o.databaseUrl, 'tf_bench_', async (pgDb) => {
    console.log(`postgres: fresh database ${pgDb.name} on ${new URL(o.databaseUrl).host}`);
    const r = await runEngine('postgres', pgDb.url, o, o.instances);
    allStored = report(r, true) && allStored;
  });

  if (o.pglite) {
    console.log(`pglite: in-memory (dataDir null), single connection${o.instances > 1 ? '; one instance (--instances applies to PostgreSQL only: the embedded database lives inside its server)' : ''}`);
    const r = await runEngine('pglite', null, o, 1);
    allStored = report(r, false) && allStored;
  }
  if (!allStored) console.log('FAILED: stored messages differ from sent webhooks');
  return allStored ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
