/**
 * Inbox benchmark (issue 5 item 8): what the Messages page costs on
 * PostgreSQL with a garage of 100,000 conversations and 1,000,000 messages
 * among 20 other organisations, and how that cost grows from a tenth of it.
 *
 * 1. Generates, on a fresh database `torqueflow_bench_inbox_<n>` (created on
 *    the server of BENCH_DATABASE_URL, migrated with `migrateToLatest`), the
 *    large organisation, a small one of a tenth its size and the noise
 *    organisations, set-based (`generate.ts`: realistic names, phones,
 *    channels, statuses, garage phrases, two years of history skewed to the
 *    recent past), then VACUUM (ANALYZE), and checks on a random sample that
 *    the denormalised columns equal what the triggers would have produced.
 * 2. Starts the real app in this process (`assembleApp`, listening on
 *    127.0.0.1) and, signed in as a service advisor of each organisation
 *    ("me", a staff session as sign-in creates it), times over HTTP with one
 *    keep-alive connection, sequentially: the floor `GET /v1/me`; the list
 *    page with its four counts for each date preset (all_time, today,
 *    this_week, this_month, last_30_days, and a past two-week custom range)
 *    × filter (all, unread, unassigned, mine); search for a customer name,
 *    a phone as a person types it and a keyword; and opening random
 *    threads. Prints p50/p95/p99 per query, PASS/MISS against the targets
 *    at the large organisation (p95: list + counts <= 25 ms, search <= 50 ms,
 *    thread open <= 10 ms), each query's p50 against the floor, and the
 *    growth table (large p95 / small p95). An endpoint that does not answer
 *    in the documented shape is printed "not available".
 * 3. For the slowest list, search and thread query at the large
 *    organisation, prints every SQL statement per request with its mean
 *    time, then EXPLAIN (ANALYZE, BUFFERS) of those queries' slowest
 *    statements and of the BENCH_EXPLAIN slowest distinct statements, as
 *    recorded from the app's own Kysely instance (`log` option) and replayed
 *    inside the tenant as `enterTenant` enters it (`plans.ts`).
 * 4. Real-time delivery (`realtime-latency.ts`, on its own fresh database):
 *    signed webhooks → the SSE client, from the webhook's 200 (after
 *    COMMIT) to the event's arrival; target p99 <= 50 ms.
 * Figures are printed, never asserted; the process exits 1 only when the
 * run itself breaks.
 *
 * Run:  npm run bench:inbox
 *   quick: BENCH_CONVERSATIONS=10000 BENCH_MESSAGES=100000 BENCH_NOISE_ORGS=2 BENCH_SAMPLES=50 npm run bench:inbox
 *
 * Environment (default):
 *   BENCH_CONVERSATIONS / BENCH_MESSAGES              100000 / 1000000  the large organisation
 *   BENCH_SMALL_CONVERSATIONS / BENCH_SMALL_MESSAGES  a tenth of those  the small organisation
 *   BENCH_NOISE_ORGS                                  20                other organisations
 *   BENCH_NOISE_CONVERSATIONS / BENCH_NOISE_MESSAGES  5000 / 50000      each
 *   BENCH_SAMPLES / BENCH_WARMUP                      200 / 20          measured / unmeasured requests per query
 *   BENCH_VERIFY_SAMPLE                               200               conversations checked after generating
 *   BENCH_EXPLAIN                                     3                 slowest distinct statements explained
 *   BENCH_REALTIME_MESSAGES                           500               webhooks timed for real-time delivery (0: skip)
 *   BENCH_KEEP=1                                      keep the database (its name is printed)
 *   BENCH_REUSE_DATABASE=torqueflow_bench_inbox_<n>   measure a kept database again, no generation (kept)
 *   DB_POOL_MAX                                       8                 the app's pool (the app's default)
 *   BENCH_DATABASE_URL                                postgres://postgres@127.0.0.1:5432/postgres
 *                                                     (a superuser: generation skips triggers with session_replication_role)
 */
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { backgroundLoad } from '../support/cpu.js';
import { startBenchApp, staffSessionCookie, type BenchApp } from './app.js';
import { createBenchDatabase, databaseUrl, dropBenchDatabase, serverSettings, type BenchDatabase } from './bench-database.js';
import { findDataset, generateDataset, type Dataset } from './dataset.js';
import { measure, type QueryResult } from './measure.js';
import { readOptions, type Options } from './options.js';
import type { BenchOrg } from './organisations.js';
import { printPlans } from './plans.js';
import { measureRealtimeLatency, type Percentiles } from './realtime-latency.js';
import { querySpecs } from './queries.js';
import { printGrowth, printSummary, printTable } from './report.js';
import { verifyDenormalised } from './verify.js';

/** Issue 5 item 8: webhook commit -> SSE client, p99. */
const REALTIME_TARGET_P99_MS = 50;

const size = (o: { conversations: number; messages: number }) => `${o.conversations.toLocaleString('en-GB')} conversations / ${o.messages.toLocaleString('en-GB')} messages`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function prepare(bench: BenchDatabase, client: pg.Client, o: Options, now: Date): Promise<Dataset> {
  const handle = openDatabase({ databaseUrl: bench.url, poolMax: 2 });
  try {
    await migrateToLatest(handle.db);
    if (o.reuse) {
      const dataset = await findDataset(handle.db);
      console.log(`data: reusing ${bench.name} (no generation)`);
      return dataset;
    }
    const started = performance.now();
    const { dataset, timings } = await generateDataset(handle.db, client, o, now);
    console.log(`generation: ${seconds(performance.now() - started)} (${timings.map((t) => `${t.step} ${seconds(t.ms)}`).join(', ')})`);
    for (const org of [dataset.large, dataset.small]) {
      const v = await verifyDenormalised(client, org.id, o.verifySample);
      console.log(`check ${org.label}: ${v.sampled - v.mismatched}/${v.sampled} sampled conversations have the denormalised columns and activity days the triggers would produce${v.examples.map((e) => `\n  MISMATCH ${e}`).join('')}`);
    }
    return dataset;
  } finally {
    await handle.close();
  }
}

async function measureOrg(app: BenchApp, org: BenchOrg, o: Options, now: Date): Promise<QueryResult[]> {
  const cookie = await staffSessionCookie(app.db, org.id, org.meId);
  const specs = await querySpecs(app.db, org, now, o.warmup + o.samples + 1);
  return measure(app, cookie, specs, o.warmup, o.samples, org.label);
}

/** Real-time delivery on its own fresh database (`realtime-latency.ts`), with the target. */
async function printRealtime(o: Options): Promise<void> {
  const r = await measureRealtimeLatency({ serverUrl: o.adminUrl, messages: o.realtimeMessages, concurrency: 8, warmup: 50, floorSamples: 500 });
  const p = (x: Percentiles) => `p50 ${x.p50.toFixed(1)}, p95 ${x.p95.toFixed(1)}, p99 ${x.p99.toFixed(1)}, max ${x.max.toFixed(1)} ms`;
  console.log(`\nreal-time delivery, webhook 200 (after COMMIT) -> SSE client (${r.received} of ${r.sent} signed Twilio SMS webhooks, 8 in flight, one client, server in a child process, own fresh database):`);
  console.log(`  ${p(r.latency)}; target p99 <= ${REALTIME_TARGET_P99_MS} ms: ${r.latency.p99 <= REALTIME_TARGET_P99_MS ? 'PASS' : 'MISS'} (${r.beforeResponse} events arrived before their 200)`);
  console.log(`  webhook round trip ${p(r.webhook)}; floor NOTIFY -> notification ${p(r.notifyFloor)}; SELECT 1 ${p(r.selectFloor)}`);
}

async function main(): Promise<void> {
  const o = readOptions();
  const now = new Date();
  console.log(`inbox benchmark: large ${size(o.large)}, small ${size(o.small)}, ${o.noiseOrgs} noise organisations of ${size(o.noise)}; ` +
    `${o.samples} samples per query after ${o.warmup} warm-up rounds, one user, sequential; app pool ${o.poolMax}; node ${process.version}`);
  const idle = await backgroundLoad(1000);
  if (idle !== null) console.log(`machine: ${availableParallelism()} cores, ${idle.toFixed(2)} busy before start${idle >= 0.25 ? ' - WARNING: other work is running' : ''}`);

  const bench = o.reuse ? databaseUrl(o.adminUrl, o.reuse) : await createBenchDatabase(o.adminUrl);
  const cleanUp = () => (o.keep ? Promise.resolve() : dropBenchDatabase(o.adminUrl, bench.name));
  const onSignal = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const client = new pg.Client({ connectionString: bench.url });
  // A signal's clean-up force-drops the database under this client: its queries fail, the process must not.
  client.on('error', () => undefined);
  await client.connect();
  let app: BenchApp | null = null;
  try {
    console.log(`postgres: database ${bench.name} on ${new URL(o.adminUrl).host}${o.keep ? ' (kept)' : ''}`);
    const dataset = await prepare(bench, client, o, now);
    console.log(`postgres: ${await serverSettings(client)}`);

    app = await startBenchApp(bench.url, o.poolMax);
    // The 1-minute load average right after each measurement: other work on the machine inflates p95/p99.
    const large = await measureOrg(app, dataset.large, o, now);
    const largeLoad = loadavg()[0]!.toFixed(2);
    const small = await measureOrg(app, dataset.small, o, now);
    const smallLoad = loadavg()[0]!.toFixed(2);
    printTable(`large organisation: ${size(dataset.large)} (ms; targets judged here; load average ${largeLoad} on ${availableParallelism()} cores)`, large, true);
    printTable(`small organisation: ${size(dataset.small)} (ms; load average ${smallLoad})`, small, false);
    printGrowth(large, small, `${size(dataset.large)} (large) vs ${size(dataset.small)} (small)`);
    printSummary(large);
    await printPlans(client, app.recorder, dataset.large, dataset.large.label, large, o.explainTop);
    if (o.realtimeMessages > 0) await printRealtime(o);
  } finally {
    await app?.close();
    await client.end();
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (o.keep) console.log(`\nkept database ${bench.name}: BENCH_REUSE_DATABASE=${bench.name} npm run bench:inbox measures it again`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
