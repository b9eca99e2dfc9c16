/**
 * Real-time delivery latency (issue 5 item 7: "from webhook commit to an SSE
 * client, p99 ≤ 50 ms"): signed inbound Twilio SMS webhooks are posted to
 * the real server (`src/main.ts` in a child process, so the server and this
 * load generator do not share an event loop) over a fresh PostgreSQL
 * database, while one client holds `GET /v1/events` open. Latency per
 * message = the client receiving its `message.created` event minus this
 * process receiving the webhook's 200 (sent after COMMIT, so ≈ commit),
 * both on this process's clock. An event that arrives before the 200 counts
 * as 0 ms (the count is printed).
 *
 * The floor: a bare NOTIFY round trip on the same database (one connection
 * LISTENs, another runs `NOTIFY` in its own transaction; from issuing it to
 * the notification's arrival), and a `SELECT 1` round trip; the dispatcher
 * needs one notification and one read of the log per wake-up. Also printed:
 * from sending the webhook to the event's arrival (an upper bound that
 * includes the webhook's own processing).
 *
 * Prints figures; asserts no time. Run:
 *   DATABASE_URL=postgres://user@host:5432/postgres node_modules/.bin/node --import tsx bench/inbox/realtime-latency.ts [--messages 500] [--concurrency 8]
 * DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres);
 * a database `tf_bench_rt_<random>` is created there and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { percentile } from '../support/load.js';
import { startChildServer, type ChildServer } from '../../test/support/child-server.js';
import { createOrg, uniquePhone } from '../../test/support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../../test/support/providers.js';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN } from '../../test/support/server.js';
import { openEvents, type EventClient } from '../../test/realtime/sse-client.js';

export type LatencyOptions = {
  /** PostgreSQL server to create the benchmark database on (any database of it). */
  serverUrl: string;
  /** Measured webhooks (after `warmup` unmeasured ones). */
  messages: number;
  /** Webhooks in flight at once. */
  concurrency: number;
  warmup: number;
  /** NOTIFY and SELECT round trips measured for the floor. */
  floorSamples: number;
};

/** Milliseconds at the 50th, 95th and 99th percentiles (nearest rank) and the maximum. */
export type Percentiles = { p50: number; p95: number; p99: number; max: number };

export type LatencyResult = {
  sent: number;
  received: number;
  /** Events that reached the client before the webhook's 200 reached this process. */
  beforeResponse: number;
  latency: Percentiles;
  /** From sending the webhook to the event's arrival. */
  fromSend: Percentiles;
  /** Webhook request round trip (send → 200), for scale. */
  webhook: Percentiles;
  notifyFloor: Percentiles;
  selectFloor: Percentiles;
  elapsedMs: number;
};

function percentiles(samples: number[]): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

async function measureFloor(databaseUrl: string, samples: number): Promise<{ notify: Percentiles; select: Percentiles }> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const notifier = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    await listener.query('LISTEN bench_floor');
    const notify: number[] = [];
    const select: number[] = [];
    for (let i = 0; i < samples; i++) {
      const arrived = new Promise<number>((resolve) => listener.once('notification', () => resolve(performance.now())));
      const issued = performance.now();
      await notifier.query('NOTIFY bench_floor');
      notify.push((await arrived) - issued);
      const t0 = performance.now();
      await notifier.query('SELECT 1');
      select.push(performance.now() - t0);
    }
    return { notify: percentiles(notify), select: percentiles(select) };
  } finally {
    await Promise.all([listener.end(), notifier.end()]);
  }
}

/**
 * Run the benchmark on a fresh database of `options.serverUrl` (dropped at
 * the end, also on failure).
 * @throws when the server cannot start or a webhook is not answered 200
 */
export async function measureRealtimeLatency(options: LatencyOptions): Promise<LatencyResult> {
  const name = `tf_bench_rt_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(options.serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let server: ChildServer | null = null;
  let client: EventClient | null = null;
  const handle = openDatabase({ databaseUrl, poolMax: 2 });
  try {
    server = await startChildServer({ DATABASE_URL: databaseUrl, PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, SEED_DEMO: 'false', RUN_WORKER: 'false' });
    const org = await createOrg(handle.db);
    const arrivals = new Map<string, number>();
    client = await openEvents(server.baseUrl, { token: org.apiToken }, {
      onEvent: (e) => {
        if (e.event === 'message.created') arrivals.set(String(e.data.payload.body), e.receivedAt);
      },
    });
    const live = client;
    const deadline = Date.now() + 30_000;
    while (live.lastEventId() === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

    const baseUrl = server.baseUrl;
    const post = async (body: string) => {
      const sent = performance.now();
      const res = await postTwilio(baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber, body }), org.twilioAuthToken);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
      return { sent, answered: performance.now() };
    };
    const run = async (bodies: string[]) => {
      const answered = new Map<string, { sent: number; answered: number }>();
      let next = 0;
      await Promise.all(Array.from({ length: options.concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          answered.set(body, await post(body));
        }
      }));
      return answered;
    };

    await run(Array.from({ length: options.warmup }, (_, i) => `warm-up ${i}`));
    const bodies = Array.from({ length: options.messages }, (_, i) => `bench ${i}`);
    const started = performance.now();
    const answered = await run(bodies);
    const waitUntil = Date.now() + 30_000;
    while (bodies.some((b) => !arrivals.has(b)) && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsedMs = performance.now() - started;

    const latencies: number[] = [];
    const fromSend: number[] = [];
    let beforeResponse = 0;
    for (const body of bodies) {
      const at = arrivals.get(body);
      const reply = answered.get(body)!;
      if (at === undefined) continue;
      if (at < reply.answered) beforeResponse++;
      latencies.push(Math.max(0, at - reply.answered));
      fromSend.push(at - reply.sent);
    }
    const floor = await measureFloor(databaseUrl, options.floorSamples);
    return {
      sent: bodies.length,
      received: latencies.length,
      beforeResponse,
      latency: percentiles(latencies),
      fromSend: percentiles(fromSend),
      webhook: percentiles(bodies.map((b) => answered.get(b)!.answered - answered.get(b)!.sent)),
      notifyFloor: floor.notify,
      selectFloor: floor.select,
      elapsedMs,
    };
  } finally {
    client?.close();
    await server?.stop();
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const fmt = (p: Percentiles) => `p50 ${p.p50.toFixed(2)}  p95 ${p.p95.toFixed(2)}  p99 ${p.p99.toFixed(2)}  max ${p.max.toFixed(2)} ms`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '8' } } });
  const options: LatencyOptions = {
    serverUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    messages: Number(values.messages),
    concurrency: Number(values.concurrency),
    warmup: 50,
    floorSamples: 500,
  };
  const r = await measureRealtimeLatency(options);
  const ratio = (x: number) => (r.notifyFloor.p50 > 0 ? `${(x / r.notifyFloor.p50).toFixed(1)}× the NOTIFY floor p50` : '');
  console.log(`real-time latency: ${options.messages} signed Twilio SMS webhooks, ${options.concurrency} in flight, one SSE client; server = src/main.ts in a child process on PostgreSQL; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  received            ${r.received} of ${r.sent} sent (${r.beforeResponse} arrived before their 200), in ${(r.elapsedMs / 1000).toFixed(2)} s`);
  console.log(`  200 → SSE event     ${fmt(r.latency)}  (p99 = ${ratio(r.latency.p99)})`);
  console.log(`  send → SSE event    ${fmt(r.fromSend)}`);
  console.log(`  webhook round trip  ${fmt(r.webhook)}`);
  console.log(`  floor: NOTIFY → notification  ${fmt(r.notifyFloor)}`);
  console.log(`  floor: SELECT 1 round trip    ${fmt(r.selectFloor)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
