/**
 * `npm run bench:media` — the media pipeline against the floor of writing
 * the same bytes to the store directly (issue 11, "Done when").
 *
 * The real server (`src/main.ts`, child process, fresh PostgreSQL database,
 * local media store in a temporary folder, live providers pointed at a local
 * fake Twilio media server in this process) and one staff SSE client
 * (`GET /v1/events`, API token). A ~3 MB camera-like JPEG throughout.
 *
 * 1. Upload → visible in the staff stream, one at a time: a photo uploaded
 *    (`POST /v1/conversations/{id}/attachments`, the same acceptor the portal
 *    uses: content check, downscale, metadata strip, thumbnail, two store
 *    writes) and sent on the portal channel, until its `message.created`
 *    event with the stored photo reaches the client.
 * 2. Inbound MMS → visible: a signed Twilio MMS webhook carrying the photo
 *    until the `message.media` event (downloaded with Basic auth, cleaned,
 *    stored) reaches the client.
 * 3. Throughput: `--burst` MMS webhooks at once; photos/s from the first
 *    POST to the last `message.media` event.
 * Floor: `store.put` of the same bytes into a local store (latency, and
 *    puts/s at the same concurrency as the download workers).
 *
 * The child server gets up to 10 minutes (BENCH_SERVER_START_TIMEOUT_MS) to
 * listen and answer `GET /ready` with 200 before anything is measured.
 *
 * Prints figures; asserts nothing. Run:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:media -- [--samples 20] [--burst 24]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { openDatabase } from '../../src/db/database.js';
import { localMediaStore } from '../../src/media/local-store.js';
import { mediaKey } from '../../src/media/store.js';
import { createBenchDatabase, dropBenchDatabase } from '../support/database.js';
import { percentile } from '../support/load.js';
import { startChildServer, type ChildServer } from '../../test/support/child-server.js';
import { startFakeMedia } from '../../test/support/fake-providers/media.js';
import { createCustomer, createOrg } from '../../test/support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../../test/support/providers.js';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN } from '../../test/support/server.js';
import { openEvents, type EventClient } from '../../test/realtime/sse-client.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '20' }, burst: { type: 'string', default: '24' } } });
const SAMPLES = Number(values.samples);
const BURST = Number(values.burst);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The server's download workers per instance (src/media/workers.ts). */
const WORKER_CONCURRENCY = 4;

/**
 * How long the child server may take to listen and then report ready: the
 * machine may be shared (other benchmarks, test suites), and migrations plus
 * pg-boss's schema on a fresh database can take minutes there.
 */
const SERVER_START_TIMEOUT_MS = Number(process.env.BENCH_SERVER_START_TIMEOUT_MS ?? 600_000);

/**
 * Poll `GET /ready` (database and job queue both answer) until 200.
 * @throws Error with the last answer when it is not ready within `timeoutMs`
 */
async function waitUntilReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(10_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the bench server was not ready within ${timeoutMs} ms (last /ready: ${last})`);
}

type Stats = { p50: number; p99: number; max: number };
function stats(samples: number[]): Stats {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}
const ms = (s: Stats) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

/** A camera-like JPEG (noise does not compress) of about 3 MB. */
async function threeMegabytePhoto(): Promise<Buffer> {
  const side = 1900;
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

/** Resolves with the arrival time of the first event matching `match`. */
function waitForEvent(waiters: Array<{ match: (e: any) => boolean; resolve: (t: number) => void }>, match: (e: any) => boolean): Promise<number> {
  return new Promise((resolve) => waiters.push({ match, resolve }));
}

async function main(): Promise<void> {
  const photo = await threeMegabytePhoto();
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} before the run (other work on the machine slows every figure but the floor less)`);
  console.log(`bench:media — photo ${(photo.length / 1024 / 1024).toFixed(2)} MB JPEG, ${SAMPLES} samples per path, burst ${BURST}`);

  // Floor: the same bytes straight into a local store.
  const floorDir = await mkdtemp(join(tmpdir(), 'bench-media-floor-'));
  const floorStore = localMediaStore(floorDir);
  const orgForKeys = randomUUID();
  const floorLatency: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await floorStore.put(mediaKey(orgForKeys, 'media', randomUUID(), 'original'), photo, 'image/jpeg');
    floorLatency.push(performance.now() - t0);
  }
  const floorStart = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: WORKER_CONCURRENCY }, async () => {
    while (next++ < BURST) await floorStore.put(mediaKey(orgForKeys, 'media', randomUUID(), 'original'), photo, 'image/jpeg');
  }));
  const floorPerSecond = BURST / ((performance.now() - floorStart) / 1000);
  await rm(floorDir, { recursive: true, force: true });

  const fake = await startFakeMedia();
  const name = `tf_bench_media_${randomBytes(5).toString('hex')}`;
  const database = await createBenchDatabase(ADMIN_URL, name);
  const mediaDir = await mkdtemp(join(tmpdir(), 'bench-media-store-'));
  const handle = openDatabase({ databaseUrl: database.url, poolMax: 2 });
  let server: ChildServer | null = null;
  let client: EventClient | null = null;
  try {
    server = await startChildServer({
      DATABASE_URL: database.url, PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, SEED_DEMO: 'false', MEDIA_DIR: mediaDir,
      OUTBOUND_PROVIDERS: 'live', TWILIO_API_BASE_URL: fake.baseUrl, WHATSAPP_API_BASE_URL: fake.baseUrl,
    }, SERVER_START_TIMEOUT_MS);
    await waitUntilReady(server.baseUrl, SERVER_START_TIMEOUT_MS);
    const org = await createOrg(handle.db);
    fake.twilioAccount(org.twilioAccountSid, org.twilioAuthToken);
    const waiters: Array<{ match: (e: any) => boolean; resolve: (t: number) => void }> = [];
    client = await openEvents(server.baseUrl, { token: org.apiToken }, {
      onEvent: (e) => {
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i]!.match(e)) {
            waiters[i]!.resolve(e.receivedAt);
            waiters.splice(i, 1);
          }
        }
      },
    });
    const auth = { authorization: `Bearer ${org.apiToken}`, 'content-type': 'application/json' };
    const customer = await createCustomer(handle.db, org.id);
    const conversation = await handle.db.insertInto('conversations').values({
      org_id: org.id, customer_id: customer.id, contact_phone: null, contact_name: null, last_channel: 'portal',
      last_inbound_at: new Date(), last_activity_at: new Date(), assignee_id: null, work_order_id: null, context_badge: null, whatsapp_window_expires_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const base64 = photo.toString('base64');

    // 1. Upload → visible.
    const upload: number[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) {
      const body = `bench upload ${i} ${randomUUID()}`;
      const seen = waitForEvent(waiters, (e) => e.event === 'message.created' && e.data.payload.body === body && e.data.payload.media?.[0]?.state === 'stored');
      const t0 = performance.now();
      const up = await fetch(`${server.baseUrl}/v1/conversations/${conversation.id}/attachments`, { method: 'POST', headers: auth, body: JSON.stringify({ filename: 'photo.jpg', contentBase64: base64 }) });
      if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${await up.text()}`);
      const item = await up.json() as { mediaId: string };
      const sent = await fetch(`${server.baseUrl}/v1/conversations/${conversation.id}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'portal', body, mediaIds: [item.mediaId] }) });
      if (sent.status !== 201) throw new Error(`send answered ${sent.status}: ${await sent.text()}`);
      const at = await seen;
      if (i >= 2) upload.push(at - t0); // two warm-up rounds
    }

    // 2. and 3. Inbound MMS → visible, one at a time, then a burst.
    const mms = (i: number) => {
      const sid = newSid('MM');
      const url = fake.twilioFile(org.twilioAccountSid, sid, `ME${randomBytes(16).toString('hex')}`, { bytes: photo, contentType: 'image/jpeg' });
      const params = smsParams({ sid, from: customer.phone!, to: org.twilioNumber, body: `bench mms ${i}`, extra: { NumMedia: '1', MediaUrl0: url, MediaContentType0: 'image/jpeg', AccountSid: org.twilioAccountSid } });
      return { sid, params };
    };
    const stored = (body: string) => (e: any) => e.event === 'message.media' && e.data.payload.body === body && e.data.payload.media?.[0]?.state !== 'pending';
    const inbound: number[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) {
      const m = mms(i);
      const seen = waitForEvent(waiters, stored(`bench mms ${i}`));
      const t0 = performance.now();
      const res = await postTwilio(server.baseUrl, '/twilio/sms', m.params, org.twilioAuthToken);
      if (res.status !== 200) throw new Error(`MMS webhook answered ${res.status}`);
      const at = await seen;
      if (i >= 2) inbound.push(at - t0);
    }
    const burst = Array.from({ length: BURST }, (_, i) => mms(1000 + i));
    const allSeen = Promise.all(burst.map((_, i) => waitForEvent(waiters, stored(`bench mms ${1000 + i}`))));
    const burstStart = performance.now();
    await Promise.all(burst.map((m) => postTwilio(server!.baseUrl, '/twilio/sms', m.params, org.twilioAuthToken)));
    const last = Math.max(...await allSeen);
    const pipelinePerSecond = BURST / ((last - burstStart) / 1000);

    const floor = stats(floorLatency);
    const up = stats(upload);
    const inb = stats(inbound);
    console.log('');
    console.log(`floor: store.put of the same bytes (local driver)      ${ms(floor)}`);
    console.log(`upload → visible in the staff stream                   ${ms(up)}   (p50 ${(up.p50 / floor.p50).toFixed(0)}× floor)`);
    console.log(`inbound MMS webhook → photo visible in the stream      ${ms(inb)}   (p50 ${(inb.p50 / floor.p50).toFixed(0)}× floor)`);
    console.log(`throughput: ${BURST} MMS photos at once                  ${pipelinePerSecond.toFixed(1)} photos/s; floor ${floorPerSecond.toFixed(1)} puts/s at ${WORKER_CONCURRENCY} at once (floor ${(floorPerSecond / pipelinePerSecond).toFixed(0)}× faster)`);
    console.log(`downloads from the fake provider: ${[...fake.downloads.values()].reduce((a, b) => a + b, 0)} for ${SAMPLES + 2 + BURST} photos (each once)`);
  } finally {
    client?.close();
    if (server) await server.stop();
    await handle.close();
    await fake.close();
    await dropBenchDatabase(ADMIN_URL, name);
    await rm(mediaDir, { recursive: true, force: true });
  }
}

await main();
