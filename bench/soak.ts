/**
 * Soak benchmark: does the server's memory level off under a long garage
 * day, or does it keep growing (issue 16, item 6)?
 *
 * What it does:
 * - starts ONE real server as a child process the way `npm start` runs it
 *   (the JavaScript in dist/server, built first when its sources changed,
 *   with npm start's START_NODE_FLAGS and MALLOC_ARENA_MAX defaults,
 *   src/cli/server-build.ts; the web-build pre-step is skipped, the
 *   replay does not load the web app) with the environment an operator
 *   would give it: PORT (a free port), HOST=127.0.0.1, DATA_DIR (a fresh
 *   temporary folder, removed at the end), the demo garage seeded, the
 *   default LOG_LEVEL=info (request logs are read and dropped by this
 *   process), and DATABASE_URL of a fresh PostgreSQL database
 *   `tf_bench_soak_<random>` (bench/support/database.ts, dropped at the end,
 *   also on failure or Ctrl-C) or, with SOAK_ENGINE=pglite, no DATABASE_URL:
 *   embedded PGlite in DATA_DIR. The child also gets
 *   `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<heap folder>`.
 * - replays a garage day back to back for SOAK_MINUTES: `runReplay`
 *   (src/cli/replay/run.ts, what `npm run replay` runs, with its defaults:
 *   seed garage-day, 540 messages, 8 concurrent, the portal part included,
 *   5xx answers retried and counted as warnings) in this process, with a new
 *   run id each time, the demo API token and portal link read from DATA_DIR
 *   and the provider secrets from the same configuration the server reads.
 * - samples the server's resident memory every SOAK_SAMPLE_SECONDS from
 *   /proc/<pid>/status (VmRSS, and RssAnon: the part that is not mapped
 *   files, i.e. the JS heap, malloc and WASM memory) and prints one row per
 *   sample: elapsed (m:ss), replays done, replays failed, 5xx answers
 *   retried, conversations in the garage, RSS MB, anon MB, RSS change since
 *   the first sample (taken once the server is ready, before any replay).
 *   MB = 2^20 bytes.
 * - heap snapshots (SOAK_HEAP=1, the default): after the measured
 *   SOAK_MINUTES, once the replay under way has finished, snapshot 1; then
 *   replays go on for SOAK_HEAP_MINUTES more and snapshot 2 is taken after
 *   the last of them. Both are diffed here (bench/support/heap-snapshot.ts):
 *   the 15 constructor groups whose self size grew most (count and bytes in
 *   each snapshot, how many of snapshot 2's objects were allocated after
 *   snapshot 1, and the most frequent referrers of those). The files are
 *   kept for DevTools. Why after the measured part and not inside it:
 *   writing a snapshot of this server blocks it for 5-20 s and leaves its
 *   RSS hundreds of MB higher for good (10 minutes on PostgreSQL: 466 MB
 *   before snapshot 1, 1,081 MB after it and still 1,107 MB 2.5 minutes
 *   later; the allocator keeps the freed native memory), which would swamp
 *   the growth being measured and then hide later native growth that reuses
 *   that freed memory. Table rows after
 *   SOAK_MINUTES are marked "not judged".
 *
 * Verdict, "plateau PASS/MISS" (printed with its figures; a MISS does not
 * fail the process, as the other benchmarks' targets do not), on the samples
 * of the measured part only, by their RSS floors: RSS swings by 100-200 MB
 * between the server's major garbage collections (a 10-minute run: 450 to
 * 650 MB and back), so two single samples can say anything; what is left
 * after a collection is what a leak raises.
 *   floor 3 = the lowest RSS sample at 50% <= t < 75% of SOAK_MINUTES;
 *   floor 4 = the lowest RSS sample at 75% <= t <= 100% (the last sample is
 *             taken at exactly SOAK_MINUTES);
 *   PASS when (floor 4 - floor 3) / floor 3 <= SOAK_PLATEAU_PERCENT (5%).
 *   Also printed: the second half's first and last samples, its highest,
 *   and the least-squares slope over its samples (MB/min). A steady creep
 *   of r MB/min raises floor 4 by about r x SOAK_MINUTES / 4: at the default
 *   30 minutes, 3 MB/min on a ~350 MB server is about +6% (MISS); a
 *   10-minute run would show about +2%. No verdict ("n/a") when a quarter
 *   has no sample.
 *
 * Exit status: 1 when any replay failed a self-check or could not run, the
 * server died, or the run broke; 0 otherwise (whatever the verdict).
 *
 * Run:  npm run bench:soak
 *   (package.json script: "bench:soak": "node --import tsx bench/soak.ts")
 *   A quick look: SOAK_MINUTES=1 SOAK_SAMPLE_SECONDS=5 npm run bench:soak
 *
 * Environment (default):
 *   SOAK_ENGINE           postgres  or pglite (embedded, in DATA_DIR)
 *   SOAK_MINUTES          30        length of the replay phase; fractions allowed (0.5)
 *   SOAK_SAMPLE_SECONDS   30        memory sample interval; fractions allowed
 *   SOAK_HEAP             1         0: no heap snapshots (the run ends after SOAK_MINUTES)
 *   SOAK_HEAP_MINUTES     SOAK_MINUTES / 4, at most 5: replays between the two snapshots
 *   SOAK_HEAP_DIR         a new folder under the system temp folder (kept, printed)
 *   SOAK_PLATEAU_PERCENT  5         largest growth of the RSS floor, third → last quarter, that passes
 *   SOAK_LOG_LEVEL        info      the server's LOG_LEVEL (npm start's default)
 *   DB_POOL_MAX           the app's default (8), passed to the server when set
 *   DATABASE_URL          postgres://postgres@127.0.0.1:5432/postgres
 *                         (server on which the per-run database is created)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { ReplayAbort, runReplay } from '../src/cli/replay/run.js';
import { demoTokenFile } from '../src/seed/demo.js';
import { demoPortalLinkFile } from '../src/seed/demo-portal-link.js';
import { readPortalLink } from '../src/cli/replay.js';
import { backgroundLoad, cpuSnapshot, describeCpu } from './support/cpu.js';
import { withBenchDatabase } from './support/database.js';
import { diffHeap, readHeapSummary, type HeapSummary } from './support/heap-snapshot.js';
import { buildServer, serverBuildIsCurrent, SERVER_DIST, START_DEFAULTS } from '../src/cli/server-build.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const MB = 1024 * 1024;
/** How long the server may take to answer GET /ready (migrations on a fresh database, a busy machine). */
const START_TIMEOUT_MS = 600_000;
/** How long writing one heap snapshot may take. */
const SNAPSHOT_TIMEOUT_MS = 600_000;
/** Consecutive replays that could not run (not failed checks) after which the soak stops. */
const MAX_CONSECUTIVE_ABORTS = 3;

type Options = {
  engine: 'postgres' | 'pglite';
  minutes: number;
  sampleSeconds: number;
  heap: boolean;
  heapMinutes: number;
  heapDir: string;
  plateauPercent: number;
  logLevel: string;
  poolMax: string | undefined;
  databaseUrl: string;
};

function readOptions(): Options {
  const env = process.env;
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    const n = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const engine = env.SOAK_ENGINE ?? 'postgres';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error(`SOAK_ENGINE must be postgres or pglite (got "${engine}")`);
  const minutes = num('SOAK_MINUTES', 30, 0.05, 24 * 60);
  const heapRaw = env.SOAK_HEAP;
  if (heapRaw !== undefined && heapRaw !== '' && heapRaw !== '0' && heapRaw !== '1') throw new Error(`SOAK_HEAP must be 0 or 1 (got "${heapRaw}")`);
  return {
    engine,
    minutes,
    sampleSeconds: num('SOAK_SAMPLE_SECONDS', 30, 1, 3600),
    heap: heapRaw !== '0',
    heapMinutes: num('SOAK_HEAP_MINUTES', Math.min(5, minutes / 4), 0.01, 24 * 60),
    heapDir: env.SOAK_HEAP_DIR || join(tmpdir(), `tf-soak-heap-${randomBytes(4).toString('hex')}`),
    plateauPercent: num('SOAK_PLATEAU_PERCENT', 5, 0, 1000),
    logLevel: env.SOAK_LOG_LEVEL || 'info',
    poolMax: env.DB_POOL_MAX || undefined,
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

// ---------------------------------------------------------------------------
// The server child

type Server = {
  pid: number;
  baseUrl: string;
  env: Record<string, string>;
  /** Set once the process has exited. */
  exit: { code: number | null; signal: string | null } | null;
  /** Log lines at level error or above (pino level >= 50), the first few kept. */
  errors: { count: number; first: string[] };
  /** The last lines it wrote (for a failure report). */
  tail(): string;
  stop(): Promise<void>;
  kill(): void;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function startServerChild(o: Options, databaseUrl: string | null, dataDir: string): Promise<Server> {
  if (!serverBuildIsCurrent(REPO_ROOT)) await buildServer(REPO_ROOT);
  const port = await freePort();
  // Only what the operator would set: nothing leaks in from this process (its DATABASE_URL is the admin URL).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: o.logLevel,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(o.poolMax ? { DB_POOL_MAX: o.poolMax } : {}),
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? START_DEFAULTS.mallocArenaMax,
  };
  const nodeFlags = (process.env.START_NODE_FLAGS ?? START_DEFAULTS.nodeFlags).split(/\s+/).filter(Boolean);
  const args = [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${o.heapDir}`, ...nodeFlags, join(SERVER_DIST, 'main.js')];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const errors = { count: 0, first: [] as string[] };
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    const level = /^\{"level":(\d+)/.exec(line);
    if (level && Number(level[1]) >= 50) {
      errors.count++;
      if (errors.first.length < 5) errors.first.push(line.slice(0, 400));
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) onLine(line);
    });
  }
  const server: Server = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    env,
    exit: null,
    errors,
    tail: () => tail.join('\n'),
    kill: () => void child.kill('SIGKILL'),
    async stop() {
      if (server.exit) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM'); // graceful: closes HTTP, the job queue and the database
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
    },
  };
  child.once('exit', (code, signal) => { server.exit = { code, signal }; });

  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exit) throw new Error(`the server exited (code ${server.exit.code}, signal ${server.exit.signal}) before it was ready\n--- its last lines ---\n${server.tail()}`);
    try {
      const res = await fetch(`${server.baseUrl}/ready`, { signal: AbortSignal.timeout(10_000) });
      if (res.status === 200) return server;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(500);
  }
  server.kill();
  throw new Error(`the server was not ready within ${START_TIMEOUT_MS} ms (last /ready: ${last})\n--- its last lines ---\n${server.tail()}`);
}

/** VmRSS, RssAnon and VmHWM of a process, in bytes; null when it is gone. */
function memoryOf(pid: number): { rss: number; anon: number; peak: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), peak: kb('VmHWM') };
}

/**
 * SIGUSR2 → the server writes `Heap.<date>.<time>.<pid>.<tid>.<seq>.heapsnapshot`
 * into the heap folder on its main thread: done when the file exists, the
 * server answers again and the file stopped growing.
 */
async function takeHeapSnapshot(server: Server, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(server.pid, 'SIGUSR2');
  const deadline = Date.now() + SNAPSHOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exit) throw new Error('the server exited while writing a heap snapshot');
    const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (file) {
      const path = join(dir, file);
      try {
        const res = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(SNAPSHOT_TIMEOUT_MS) });
        await res.arrayBuffer();
      } catch {
        // answered below by the size check
      }
      const size = statSync(path).size;
      await sleep(500);
      if (size > 0 && statSync(path).size === size) return path;
    }
    await sleep(250);
  }
  throw new Error(`no complete heap snapshot in ${dir} within ${SNAPSHOT_TIMEOUT_MS} ms`);
}

// ---------------------------------------------------------------------------
// The soak

type Sample = { at: number; replays: number; failed: number; serverErrors: number; conversations: number | null; rss: number; anon: number; note: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const pad = (v: string | number, n: number) => String(v).padStart(n);

function printRow(s: Sample, first: Sample): void {
  const delta = s.rss - first.rss;
  console.log(
    `${pad(clock(s.at), 8)} ${pad(s.replays, 8)} ${pad(s.failed, 7)} ${pad(s.serverErrors, 6)} ${pad(s.conversations ?? '-', 6)} ${pad(mb(s.rss), 8)} ${pad(mb(s.anon), 8)} ${pad(`${delta >= 0 ? '+' : ''}${mb(delta)}`, 8)}  ${s.note}`,
  );
}

/** Least-squares slope of RSS over time, in MB per minute. */
function slopeMbPerMinute(samples: ReadonlyArray<Pick<Sample, 'at' | 'rss'>>): number {
  const n = samples.length;
  const xs = samples.map((s) => s.at / 60_000);
  const ys = samples.map((s) => s.rss / MB);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function soak(o: Options, server: Server, databaseName: string | null): Promise<boolean> {
  const config = loadConfig(server.env);
  const tokenFile = demoTokenFile(config);
  const linkFile = demoPortalLinkFile(config);
  if (!existsSync(tokenFile) || !existsSync(linkFile)) throw new Error(`the demo server did not write ${tokenFile} and ${linkFile}: was the demo seeded?`);
  const apiToken = readFileSync(tokenFile, 'utf8').trim();
  const portalLink = readPortalLink(linkFile);
  const secrets = { twilioAuthToken: config.DEMO_TWILIO_AUTH_TOKEN, whatsAppAppSecret: config.WHATSAPP_APP_SECRET, publicBaseUrl: config.PUBLIC_BASE_URL };

  const totalMs = o.minutes * 60_000;
  const heapMs = o.heapMinutes * 60_000;
  const sampleMs = o.sampleSeconds * 1000;
  const state = { replays: 0, failed: 0, serverErrors: 0, conversations: null as number | null, ran: 0, replayMs: 0, note: '' };
  const failures: string[] = [];
  const samples: Sample[] = [];
  const snapshots: Array<{ path: string; at: number; replays: number }> = [];
  const run = { broken: null as string | null, finished: false };

  console.log(`${pad('elapsed', 8)} ${pad('replays', 8)} ${pad('failed', 7)} ${pad('5xx', 6)} ${pad('convs', 6)} ${pad('RSS MB', 8)} ${pad('anon MB', 8)} ${pad('RSS Δ', 8)}`);
  const t0 = performance.now();
  const cpuFrom = cpuSnapshot(server.pid, databaseName);
  let cpuAtEnd = cpuFrom;
  let peakAtEnd = NaN;
  const takeSample = (at: number): boolean => {
    const m = memoryOf(server.pid);
    if (!m) return false;
    const note = state.note || (at > totalMs ? 'after SOAK_MINUTES: not judged' : '');
    const s: Sample = { at, replays: state.replays, failed: state.failed, serverErrors: state.serverErrors, conversations: state.conversations, rss: m.rss, anon: m.anon, note };
    state.note = '';
    samples.push(s);
    printRow(s, samples[0]!);
    if (at === totalMs) {
      cpuAtEnd = cpuSnapshot(server.pid, databaseName);
      peakAtEnd = m.peak;
    }
    return true;
  };

  // Every SOAK_SAMPLE_SECONDS, plus one at exactly SOAK_MINUTES; on through the heap-snapshot phase.
  const sampler = (async () => {
    let k = 0;
    let at = 0;
    for (;;) {
      while (!run.finished && performance.now() < t0 + at) await sleep(Math.min(1000, t0 + at - performance.now()));
      if (run.finished) return;
      if (!takeSample(at)) {
        run.broken ??= `the server process is gone (${JSON.stringify(server.exit)})`;
        return;
      }
      if (at >= totalMs && !o.heap) return;
      const regular = (k + 1) * sampleMs;
      if (at < totalMs && regular > totalMs) at = totalMs;
      else {
        at = regular;
        k++;
      }
    }
  })();

  const replayUntil = async (untilMs: number) => {
    let aborts = 0;
    while (performance.now() - t0 < untilMs && !run.broken) {
      const runId = randomBytes(6).toString('hex');
      const started = performance.now();
      try {
        const result = await runReplay({ baseUrl: server.baseUrl, apiToken, secrets, seed: 'garage-day', runId, targetMessages: 540, concurrency: 8, portalLink });
        aborts = 0;
        state.replays++;
        state.ran++;
        state.replayMs += performance.now() - started;
        state.serverErrors += result.summary.requests.serverErrors;
        state.conversations = result.summary.conversations.after;
        if (!result.ok) {
          state.failed++;
          const bad = result.checks.filter((c) => !c.passed);
          failures.push(`replay ${state.replays} (run id ${runId}): ${bad.map((c) => `${c.name}: ${c.failures[0] ?? 'failed'}`).join('; ').slice(0, 600)}`);
        }
      } catch (err) {
        state.replays++;
        state.failed++;
        failures.push(`replay ${state.replays} (run id ${runId}) could not run: ${(err as Error).message.slice(0, 600)}`);
        if (err instanceof ReplayAbort && state.replays === 1) run.broken = 'the first replay could not run';
        else if (++aborts >= MAX_CONSECUTIVE_ABORTS) run.broken = `${aborts} replays in a row could not run`;
      }
    }
  };
  const snapshot = async (label: string) => {
    const started = performance.now() - t0;
    state.note = `heap snapshot ${label} being written`;
    const path = await takeHeapSnapshot(server, o.heapDir);
    const at = performance.now() - t0;
    snapshots.push({ path, at, replays: state.replays });
    state.note = `after heap snapshot ${label}`;
    console.log(`  ... heap snapshot ${label} at ${clock(started)} (after replay ${state.replays}), written in ${((at - started) / 1000).toFixed(1)} s: ${path}`);
    return at;
  };

  const replayer = (async () => {
    await replayUntil(totalMs);
    const measured = { replays: state.replays, failed: state.failed };
    if (o.heap && !run.broken && !server.exit) {
      const first = await snapshot('1');
      await replayUntil(first + heapMs);
      if (!run.broken && !server.exit) await snapshot('2');
    }
    run.finished = true;
    return measured;
  })();

  const [, measured] = await Promise.all([sampler, replayer]);
  const peak = memoryOf(server.pid)?.peak ?? NaN;

  // Summary.
  console.log('');
  const first = samples[0]!;
  const end = samples.find((s) => s.at === totalMs) ?? null;
  console.log(
    `replays: ${measured.replays} started in the measured ${clock(totalMs)}${o.heap ? `, ${state.replays - measured.replays} more between the heap snapshots` : ''} ` +
      `(${state.ran > 0 ? (state.replayMs / state.ran / 1000).toFixed(1) : '-'} s each); failed: ${state.failed} (${measured.failed} in the measured part); ` +
      `${state.serverErrors} 5xx answers retried; server log lines at error level: ${server.errors.count}`,
  );
  for (const f of failures.slice(0, 10)) console.log(`  FAIL ${f}`);
  if (failures.length > 10) console.log(`  … and ${failures.length - 10} more`);
  for (const line of server.errors.first) console.log(`  server error log: ${line}`);
  if (end) {
    console.log(`measured part: ${describeCpu(cpuFrom, cpuAtEnd).text}`);
    console.log(`memory: RSS ${mb(first.rss)} MB at start → ${mb(end.rss)} MB at ${clock(end.at)} (${mb(end.rss - first.rss)} MB), peak ${mb(peakAtEnd)} MB by then (VmHWM)${o.heap ? `; ${mb(peak)} MB with the heap snapshots` : ''}`);
  }

  console.log(plateau(samples, totalMs, o.plateauPercent).text);

  if (snapshots.length === 2) {
    const [a, b] = snapshots as [(typeof snapshots)[0], (typeof snapshots)[0]];
    console.log('');
    console.log(`heap diff: snapshot 1 (written by ${clock(a.at)}, after replay ${a.replays}) → snapshot 2 (by ${clock(b.at)}, after replay ${b.replays}): ${b.replays - a.replays} replays apart`);
    printHeapDiff(readHeapSummary(a.path), b.path);
  }
  if (o.heap) console.log(`heap snapshots kept in ${o.heapDir} (DevTools → Memory → Load; delete when done)`);
  if (run.broken) console.log(`BROKEN: ${run.broken}\n--- the server's last lines ---\n${server.tail()}`);
  return !run.broken && state.failed === 0 && state.replays > 0;
}

/**
 * The plateau verdict on the samples of the measured part (the rule in the
 * module comment): the RSS floor (lowest sample) of the last quarter against
 * that of the third quarter.
 */
export function plateau(samples: ReadonlyArray<Pick<Sample, 'at' | 'rss'>>, totalMs: number, percent: number): { verdict: 'PASS' | 'MISS' | 'n/a'; growthPercent: number; text: string } {
  const third = samples.filter((s) => s.at >= totalMs / 2 && s.at < totalMs * 0.75);
  const fourth = samples.filter((s) => s.at >= totalMs * 0.75 && s.at <= totalMs);
  if (third.length === 0 || fourth.length === 0) {
    return { verdict: 'n/a', growthPercent: NaN, text: 'plateau n/a: no sample in the third or the last quarter of the measured part (run longer or sample more often)' };
  }
  const lowest = (xs: typeof samples) => xs.reduce((lo, s) => (s.rss < lo.rss ? s : lo));
  const [a, b] = [lowest(third), lowest(fourth)];
  const growth = (b.rss - a.rss) / a.rss * 100;
  const verdict = growth <= percent ? 'PASS' : 'MISS';
  const half = samples.filter((s) => s.at >= totalMs / 2 && s.at <= totalMs);
  const [first, last] = [half[0]!, half[half.length - 1]!];
  const signed = (n: number, digits: number) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
  return {
    verdict,
    growthPercent: growth,
    text:
      `plateau ${verdict}: RSS floor ${mb(a.rss)} MB (lowest of ${third.length} samples ${clock(third[0]!.at)}-${clock(third[third.length - 1]!.at)}, at ${clock(a.at)}) → ` +
      `${mb(b.rss)} MB (lowest of ${fourth.length} samples ${clock(fourth[0]!.at)}-${clock(fourth[fourth.length - 1]!.at)}, at ${clock(b.at)}): ` +
      `${signed(growth, 1)}% (${signed((b.rss - a.rss) / MB, 1)} MB; target ≤ +${percent}%)\n` +
      `  second half: ${mb(first.rss)} MB at ${clock(first.at)} → ${mb(last.rss)} MB at ${clock(last.at)} (${signed((last.rss - first.rss) / first.rss * 100, 1)}%), ` +
      `highest ${mb(Math.max(...half.map((s) => s.rss)))} MB, slope ${signed(slopeMbPerMinute(half), 2)} MB/min over ${half.length} samples`,
  };
}

function printHeapDiff(before: HeapSummary, laterFile: string): void {
  const { after, rows } = diffHeap(before, laterFile, 15);
  const signed = (n: number, f: (n: number) => string) => `${n >= 0 ? '+' : ''}${f(n)}`;
  const kb = (n: number) => (n / 1024).toFixed(0);
  console.log(
    `heap: ${before.nodes} → ${after.nodes} nodes, self size ${mb(before.bytes)} → ${mb(after.bytes)} MB (${signed(after.bytes - before.bytes, mb)} MB); ` +
      `files ${mb(before.fileBytes)} and ${mb(after.fileBytes)} MB`,
  );
  console.log('top 15 constructor groups by self-size growth (KB = 1024 bytes; "new" = allocated after snapshot 1 and alive in snapshot 2):');
  console.log(`  ${'group'.padEnd(40)} ${pad('count', 17)} ${pad('Δ count', 9)} ${pad('self KB', 17)} ${pad('Δ KB', 8)} ${pad('new', 8)} ${pad('new KB', 8)}  most frequent referrers of the new ones`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(40)} ${pad(`${r.before.count} → ${r.after.count}`, 17)} ${pad(signed(r.after.count - r.before.count, String), 9)} ` +
        `${pad(`${kb(r.before.bytes)} → ${kb(r.after.bytes)}`, 17)} ${pad(signed(r.after.bytes - r.before.bytes, kb), 8)} ${pad(r.allocatedBetween.count, 8)} ${pad(kb(r.allocatedBetween.bytes), 8)}  ` +
        r.referrers.map((v) => `${v.via} ×${v.count}`).join(', '),
    );
  }
}

async function main(): Promise<number> {
  const o = readOptions();
  mkdirSync(o.heapDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-soak-data-'));
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) console.log(`warning: running on node ${process.version}; use \`npm run bench:soak\` to get the project's Node 22`);
  console.log(
    `soak benchmark: back-to-back replays (seed garage-day, 540 messages, 8 concurrent) into one server (the built dist/server, run as npm start runs it, child process) on ${o.engine} ` +
      `for ${o.minutes} min, RSS sampled every ${o.sampleSeconds} s; ${o.heap ? `then ${o.heapMinutes} min more between two heap snapshots` : 'no heap snapshots'}; node ${process.version}`,
  );
  const idle = await backgroundLoad(1000);
  if (idle !== null) console.log(`machine: ${availableParallelism()} cores, ${idle.toFixed(2)} busy before start${idle >= 0.25 ? ' - WARNING: other work is running' : ''}`);

  let server: Server | null = null;
  const onSignal = () => {
    server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const run = async (databaseUrl: string | null, databaseName: string | null) => {
    server = await startServerChild(o, databaseUrl, dataDir);
    console.log(`server: pid ${server.pid} at ${server.baseUrl}, DATA_DIR ${dataDir}${databaseName ? `, database ${databaseName}` : ', embedded PGlite'}`);
    try {
      return await soak(o, server, databaseName);
    } finally {
      await server.stop();
    }
  };
  try {
    let ok: boolean;
    if (o.engine === 'postgres') {
      ok = await withBenchDatabase(o.databaseUrl, 'tf_bench_soak_', (db) => run(db.url, db.name), onSignal);
    } else {
      const exit = () => { onSignal(); process.exit(130); };
      process.once('SIGINT', exit);
      process.once('SIGTERM', exit);
      ok = await run(null, null);
    }
    console.log(ok ? 'result: every replay passed its self-checks' : 'result: FAILED (see FAIL / BROKEN lines above)');
    return ok ? 0 : 1;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (readdirSync(o.heapDir).length === 0) rmSync(o.heapDir, { recursive: true }); // SOAK_HEAP=0 and no snapshot taken by hand (kill -USR2)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
