/**
 * The three phases of `bench/send.ts`, each returning its figures and the
 * result of its correctness checks (a list of problems; empty when correct):
 *
 * - floor: the real Twilio adapter's HTTP calls alone, at the worker's concurrency;
 * - outbox: `composeMessage` (message + delivery job in one transaction) and
 *   the real delivery workers, until every message has its provider id;
 * - race: concurrent free-form WhatsApp sends into one expired window,
 *   counting the bridge SMS stored and delivered.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { composeMessage, type ComposeOutcome } from '../../src/sending/compose-message.js';
import { DELIVER_MESSAGE } from '../../src/sending/queues.js';
import { createTwilioSmsAdapter } from '../../src/channels/twilio/twilio-sms.adapter.js';
import type { OutboundRequest } from '../../src/channels/contract.js';
import { createCustomer, type TestOrg } from '../../test/support/fixtures.js';
import { whatsAppEnvelope } from '../../test/support/providers.js';
import { EXPECTED_COST, FAKE_PRICE_UNIT, type FakeRequest } from './fake-twilio-protocol.js';
import type { FakeTwilioChild } from './fake-twilio.js';
import { WHATSAPP_APP_SECRET, type BenchConversation, type Stack } from './stack.js';
import { PORTAL_LINK_CODE_LENGTH } from '../../src/sending/portal-links.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `count` tasks with `concurrency` in flight; task i gets index i. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Count occurrences of each key. */
function tally<T>(items: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

function sample(items: string[], n = 3): string {
  return items.slice(0, n).join('; ') + (items.length > n ? ` (and ${items.length - n} more)` : '');
}

/** Checks the fake saw a well-formed Twilio request from the benchmark garage. */
function requestProblems(r: FakeRequest, org: TestOrg, config: Config): string | null {
  const path = `/2010-04-01/Accounts/${org.twilioAccountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${org.twilioAccountSid}:${org.twilioAuthToken}`).toString('base64')}`;
  if (r.path !== path) return `path ${r.path}`;
  if (r.authorization !== auth) return 'wrong Basic auth';
  if (r.from !== org.twilioNumber) return `From ${r.from}`;
  if (r.statusCallback !== `${config.PUBLIC_BASE_URL}/twilio/status`) return `StatusCallback ${r.statusCallback}`;
  return null;
}

// ---------------------------------------------------------------------------
// Floor

export type FloorResult = { count: number; ok: number; elapsedMs: number; errors: Map<string, number>; problems: string[] };

/**
 * `count` Twilio sends made directly with the real adapter (a fresh one per
 * message, as the worker's registry builds it), `concurrency` in flight,
 * with the same recipients, body sizes and status callback as the outbox.
 */
export async function runFloor(o: {
  label: string;
  fake: FakeTwilioChild;
  org: TestOrg;
  config: Config;
  recipients: BenchConversation[];
  count: number;
  concurrency: number;
  body: (i: number) => string;
}): Promise<FloorResult> {
  const requests: OutboundRequest[] = Array.from({ length: o.count }, (_, i) => ({
    messageId: randomUUID(),
    to: o.recipients[i % o.recipients.length]!.phone,
    body: o.body(i),
    statusCallbackUrl: `${o.config.PUBLIC_BASE_URL}/twilio/status`,
  }));
  const errors = new Map<string, number>();
  let ok = 0;
  const sids: string[] = [];
  await o.fake.take(); // start from an empty log
  const started = performance.now();
  await pool(o.count, o.concurrency, async (i) => {
    const adapter = createTwilioSmsAdapter({
      baseUrl: o.config.TWILIO_API_BASE_URL,
      accountSid: o.org.twilioAccountSid,
      authToken: o.org.twilioAuthToken,
      from: o.org.twilioNumber,
      messagingServiceSid: o.org.messagingServiceSid,
      timeoutMs: o.config.PROVIDER_TIMEOUT_MS,
    });
    try {
      const result = await adapter.send(requests[i]!);
      sids[i] = result.providerMessageId;
      ok++;
    } catch (err) {
      const key = err instanceof Error ? err.message : String(err);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  });
  const elapsedMs = performance.now() - started;

  const problems: string[] = [];
  const seen = await o.fake.take();
  if (ok !== o.count) problems.push(`${o.label}: ${o.count - ok} adapter calls failed: ${sample([...errors].map(([k, n]) => `${k} x${n}`))}`);
  if (seen.length !== o.count) problems.push(`${o.label}: the fake received ${seen.length} requests for ${o.count} calls`);
  const bodies = new Map(requests.map((r, i) => [r.body, i]));
  const bad = seen.flatMap((r) => {
    const i = r.body === null ? undefined : bodies.get(r.body);
    if (i === undefined) return [`unexpected body ${r.body}`];
    if (sids[i] !== r.sid) return [`call ${i} got sid ${sids[i]}, the fake answered ${r.sid}`];
    if (r.to !== requests[i]!.to) return [`call ${i}: To ${r.to}, expected ${requests[i]!.to}`];
    const p = requestProblems(r, o.org, o.config);
    return p ? [`call ${i}: ${p}`] : [];
  });
  if (bad.length) problems.push(`${o.label}: ${bad.length} bad requests: ${sample(bad)}`);
  return { count: o.count, ok, elapsedMs, errors, problems };
}

// ---------------------------------------------------------------------------
// Outbox

export type OutboxResult = {
  count: number;
  composed: number;
  /** Messages queued by each composer (application instance), in the order given. */
  composedPerInstance: number[];
  sent: number;
  /** First compose started → last provider id committed (its `sent_at`), ms. */
  elapsedMs: number;
  composeMs: number;
  /** Messages whose provider id was committed before the last compose finished. */
  sentWhileComposing: number;
  /** Last compose finished → last provider id committed, ms (0 when everything was sent while composing). */
  tailMs: number;
  /** Per message: `sent_at − occurred_at` (compose to provider id stored), ms, sorted. */
  latencies: Float64Array;
  timedOut: boolean;
  problems: string[];
};

type OutboxRow = {
  id: string;
  body: string;
  status: string;
  provider: string | null;
  provider_message_id: string | null;
  attempts: number;
  cost: string | null;
  cost_currency: string | null;
  conversation_id: string;
  occurred_at: Date;
  sent_at: Date | null;
};

/** One outbox message to compose: an SMS into a conversation. */
export type ComposeItem = { conversationId: string; body: string };
/** What a composer did: how many messages it queued, and why the others did not (reason, count). */
export type ComposeTally = { composed: number; errors: Array<[string, number]> };
/** Composes `items` with `concurrency` in flight on one application instance (this process or an instance child). */
export type Composer = (items: ComposeItem[], concurrency: number) => Promise<ComposeTally>;

/** Compose `items` as staff SMS through `composeMessage` on `stack`, `concurrency` in flight. */
export async function composeAll(stack: Pick<Stack, 'db' | 'queue' | 'config'>, orgId: string, items: ComposeItem[], concurrency: number): Promise<ComposeTally> {
  const { db, queue, config } = stack;
  const settings = { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };
  const errors = new Map<string, number>();
  let composed = 0;
  await pool(items.length, concurrency, async (i) => {
    const item = items[i]!;
    try {
      const r = await composeMessage(db, queue, orgId, { conversationId: item.conversationId, sender: { type: 'staff', userId: null }, channel: 'sms', body: item.body }, settings);
      if (r.outcome === 'queued') composed++;
      else errors.set(`outcome ${r.outcome}`, (errors.get(`outcome ${r.outcome}`) ?? 0) + 1);
    } catch (err) {
      const key = err instanceof Error ? err.message : String(err);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  });
  return { composed, errors: [...errors] };
}

/** Composer k's share of `concurrency` composers among `n`: the same total, at least one each. */
function share(concurrency: number, n: number, k: number): number {
  return Math.max(1, Math.floor(concurrency / n) + (k < concurrency % n ? 1 : 0));
}

/**
 * Compose `count` SMS over the conversations with `composeConcurrency`
 * composers, and wait (up to `maxMs`) until every one has been delivered by
 * the workers already running in the stack (and in any other instance on
 * the same database).
 * @param composers one per application instance: message i is composed by
 *   `composers[i % n]` (round-robin), the composers split among them;
 *   default: `stack` alone
 * @param progress called about every `progressMs` while waiting
 */
export async function runOutbox(o: {
  label: string;
  stack: Stack;
  fake: FakeTwilioChild;
  org: TestOrg;
  conversations: BenchConversation[];
  count: number;
  composeConcurrency: number;
  composers?: Composer[];
  body: (i: number) => string;
  bodyPrefix: string;
  maxMs: number;
  progress: (line: string) => void;
  progressMs: number;
}): Promise<OutboxResult> {
  const { db } = o.stack;
  const problems: string[] = [];
  const composers: Composer[] = o.composers ?? [(items, concurrency) => composeAll(o.stack, o.org.id, items, concurrency)];
  const n = composers.length;
  const items = Array.from({ length: o.count }, (_, i): ComposeItem => ({ conversationId: o.conversations[i % o.conversations.length]!.id, body: o.body(i) }));
  const shares = composers.map((_, k) => items.filter((_, i) => i % n === k));
  await o.fake.take();

  const startedAt = Date.now();
  const started = performance.now();
  const deadline = started + o.maxMs;
  const tallies = await Promise.all(composers.map((compose, k) => compose(shares[k]!, share(o.composeConcurrency, n, k))));
  const composeMs = performance.now() - started;
  const composed = tallies.reduce((sum, t) => sum + t.composed, 0);
  const composeErrors = new Map<string, number>();
  for (const t of tallies) for (const [key, count] of t.errors) composeErrors.set(key, (composeErrors.get(key) ?? 0) + count);
  const composedAt = Date.now();
  if (composeErrors.size) problems.push(`${o.label}: ${o.count - composed} composes did not queue: ${sample([...composeErrors].map(([k, n]) => `${k} x${n}`))}`);

  // Wait until every composed message has its provider id (or failed), bounded.
  const like = `${o.bodyPrefix}%`;
  let timedOut = false;
  let lastProgress = performance.now();
  for (;;) {
    const c = await sql<{ done: number; failed: number }>`
      SELECT count(*) FILTER (WHERE provider_message_id IS NOT NULL)::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed
      FROM messages WHERE org_id = ${o.org.id} AND body LIKE ${like}`.execute(db);
    const { done = 0, failed = 0 } = c.rows[0] ?? {};
    if (done + failed >= composed) break;
    const now = performance.now();
    if (now > deadline) {
      timedOut = true;
      problems.push(`${o.label}: time limit reached after ${((now - started) / 1000).toFixed(0)} s with ${done} of ${composed} messages sent`);
      break;
    }
    if (now - lastProgress >= o.progressMs) {
      lastProgress = now;
      o.progress(`${o.label}: ${done}/${composed} sent after ${((now - started) / 1000).toFixed(0)} s`);
    }
    await sleep(250);
  }

  const rows = await db.selectFrom('messages')
    .select(['id', 'body', 'status', 'provider', 'provider_message_id', 'attempts', 'cost', 'cost_currency', 'conversation_id', 'occurred_at', 'sent_at'])
    .where('org_id', '=', o.org.id).where('body', 'like', like).execute() as OutboxRow[];
  const sentRows = rows.filter((r) => r.provider_message_id !== null);
  const lastSent = Math.max(...sentRows.map((r) => r.sent_at?.getTime() ?? 0));
  const elapsedMs = sentRows.length ? lastSent - startedAt : performance.now() - started;
  const sentWhileComposing = sentRows.filter((r) => (r.sent_at?.getTime() ?? Infinity) <= composedAt).length;
  const tailMs = sentRows.length ? Math.max(0, lastSent - composedAt) : 0;
  const latencies = Float64Array.from(sentRows.map((r) => (r.sent_at?.getTime() ?? 0) - r.occurred_at.getTime())).sort();

  // Let anything still in flight land (a second attempt would show up here), then settle the jobs.
  if (!timedOut) await waitForJobs(db, rows.map((r) => r.id), 30_000);
  const requests = (await o.fake.take()).filter((r) => r.body?.startsWith(o.bodyPrefix));
  problems.push(...checkOutbox(o.label, o.count, rows, requests, o.conversations, o.org, o.stack.config, timedOut));
  problems.push(...(await checkJobs(o.label, db, rows.map((r) => r.id), timedOut)));
  const composedPerInstance = tallies.map((t) => t.composed);
  return { count: o.count, composed, composedPerInstance, sent: sentRows.length, elapsedMs, composeMs, sentWhileComposing, tailMs, latencies, timedOut, problems };
}

function checkOutbox(label: string, count: number, rows: OutboxRow[], requests: FakeRequest[], conversations: BenchConversation[], org: TestOrg, config: Config, timedOut: boolean): string[] {
  const problems: string[] = [];
  if (rows.length !== count) problems.push(`${label}: ${rows.length} messages stored for ${count} composed`);
  const notSent = rows.filter((r) => r.status !== 'sent' || r.provider !== 'twilio' || !r.provider_message_id);
  if (notSent.length && !timedOut) problems.push(`${label}: ${notSent.length} messages did not end sent: ${sample(notSent.map((r) => `${r.id} ${r.status}`))}`);
  const sent = rows.filter((r) => r.provider_message_id);
  const ids = tally(sent.map((r) => r.provider_message_id!));
  const sharedIds = [...ids].filter(([, n]) => n > 1);
  if (sharedIds.length) problems.push(`${label}: ${sharedIds.length} provider ids stored on several messages`);
  const retried = sent.filter((r) => r.attempts !== 1);
  if (retried.length) problems.push(`${label}: ${retried.length} messages took more than one attempt: ${sample(retried.map((r) => `${r.id} attempts ${r.attempts}`))}`);
  const unpriced = sent.filter((r) => r.cost === null || Number(r.cost) !== Number(EXPECTED_COST) || r.cost_currency !== FAKE_PRICE_UNIT);
  if (unpriced.length) problems.push(`${label}: ${unpriced.length} messages without the provider's price: ${sample(unpriced.map((r) => `${r.cost} ${r.cost_currency}`))}`);

  // The provider's view: exactly one request per message, and the stored id is the one it answered.
  const byBody = new Map(rows.map((r) => [r.body, r]));
  const phoneOf = new Map(conversations.map((c) => [c.id, c.phone]));
  const perBody = tally(requests.map((r) => r.body ?? ''));
  const twice = [...perBody].filter(([, n]) => n > 1);
  if (twice.length) problems.push(`${label}: ${twice.length} messages were sent to the provider more than once: ${sample(twice.map(([b, n]) => `"${b}" x${n}`))}`);
  const expected = timedOut ? sent.length : count;
  if (requests.length !== expected && !twice.length) problems.push(`${label}: the fake received ${requests.length} requests for ${expected} messages`);
  const bad = requests.flatMap((r) => {
    const row = byBody.get(r.body ?? '');
    if (!row) return [`request for an unknown message: "${r.body}"`];
    if (row.provider_message_id !== null && row.provider_message_id !== r.sid && perBody.get(r.body ?? '') === 1) return [`${row.id}: stored ${row.provider_message_id}, the fake answered ${r.sid}`];
    if (r.to !== phoneOf.get(row.conversation_id)) return [`${row.id}: sent To ${r.to}, the customer's phone is ${phoneOf.get(row.conversation_id)}`];
    const p = requestProblems(r, org, config);
    return p ? [`${row.id}: ${p}`] : [];
  });
  if (bad.length) problems.push(`${label}: ${bad.length} bad provider requests: ${sample(bad)}`);
  const unsentButRequested = requests.filter((r) => !byBody.get(r.body ?? '')?.provider_message_id);
  if (unsentButRequested.length) problems.push(`${label}: ${unsentButRequested.length} requests reached the provider for messages with no provider id stored`);
  return problems;
}

/** Wait until none of the delivery jobs for `messageIds` is still queued or running. */
async function waitForJobs(db: Kysely<Database>, messageIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await sql<{ open: number }>`
      SELECT count(*)::int AS open FROM pgboss.job
      WHERE name = ${DELIVER_MESSAGE} AND data->>'messageId' = ANY(${messageIds}::text[]) AND state NOT IN ('completed', 'failed', 'cancelled')`.execute(db);
    if ((r.rows[0]?.open ?? 0) === 0) return;
    await sleep(100);
  }
}

async function checkJobs(label: string, db: Kysely<Database>, messageIds: string[], timedOut: boolean): Promise<string[]> {
  const r = await sql<{ state: string; jobs: number; retried: number }>`
    SELECT state::text AS state, count(*)::int AS jobs, count(*) FILTER (WHERE retry_count > 0)::int AS retried FROM pgboss.job
    WHERE name = ${DELIVER_MESSAGE} AND data->>'messageId' = ANY(${messageIds}::text[]) GROUP BY state`.execute(db);
  const total = r.rows.reduce((s, x) => s + x.jobs, 0);
  const completed = r.rows.find((x) => x.state === 'completed')?.jobs ?? 0;
  const retried = r.rows.reduce((s, x) => s + x.retried, 0);
  const problems: string[] = [];
  if (total !== messageIds.length) problems.push(`${label}: ${total} delivery jobs for ${messageIds.length} messages`);
  if (!timedOut && completed !== messageIds.length) problems.push(`${label}: delivery jobs by state: ${r.rows.map((x) => `${x.state} ${x.jobs}`).join(', ')}`);
  if (retried) problems.push(`${label}: ${retried} delivery jobs were retried`);
  return problems;
}

// ---------------------------------------------------------------------------
// Bridge race

export type RaceResult = {
  conversations: number;
  sendsPerConversation: number;
  /** Per conversation: bridge SMS stored. */
  bridgesStored: number[];
  /** Per conversation: requests the fake Twilio received for it. */
  bridgesDelivered: number[];
  /** Wall time of each race (all sends settled), ms. */
  raceMs: number[];
  problems: string[];
};

function signedWhatsApp(body: string): { headers: Record<string, string>; payload: string } {
  const signature = `sha256=${createHmac('sha256', WHATSAPP_APP_SECRET).update(body, 'utf8').digest('hex')}`;
  return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload: body };
}

/**
 * A customer whose last WhatsApp message arrived `hoursAgo` hours ago, through
 * the real signed WhatsApp webhook (so the window is set by the ingest path).
 */
async function expiredConversation(stack: Stack, org: TestOrg, phone: string, tag: string, hoursAgo: number): Promise<string> {
  const customer = await createCustomer(stack.db, org.id, { name: `Race Customer ${tag}`, phone });
  const at = Math.floor((Date.now() - hoursAgo * 3_600_000) / 1000);
  const { headers, payload } = signedWhatsApp(whatsAppEnvelope(org.whatsappPhoneNumberId, {
    contacts: [{ profile: { name: `Race Customer ${tag}` }, wa_id: phone.slice(1) }],
    messages: [{ from: phone.slice(1), id: `wamid.bench${tag}`, timestamp: String(at), type: 'text', text: { body: 'Is my car ready?' } }],
  }));
  const res = await stack.app.inject({ method: 'POST', url: '/whatsapp/webhook', headers, payload });
  if (res.statusCode !== 200) throw new Error(`inbound WhatsApp webhook answered ${res.statusCode}: ${res.body}`);
  const c = await stack.db.selectFrom('conversations').select(['id', 'whatsapp_window_expires_at'])
    .where('org_id', '=', org.id).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  if (!c.whatsapp_window_expires_at || c.whatsapp_window_expires_at.getTime() >= Date.now()) {
    throw new Error(`conversation ${c.id}: the WhatsApp window should have expired, expires at ${c.whatsapp_window_expires_at?.toISOString() ?? 'null'}`);
  }
  return c.id;
}

/**
 * For each of `conversations` fresh conversations with an expired window,
 * `sends` concurrent staff free-form WhatsApp sends through `composeMessage`
 * on `raceDb` (a pool wide enough that every send holds its own connection,
 * warmed so they all open their transactions at once); then wait for the
 * workers to deliver the bridge SMS and count what the provider received.
 */
export async function runRace(o: {
  label: string;
  stack: Stack;
  raceDb: Kysely<Database>;
  fake: FakeTwilioChild;
  org: TestOrg;
  conversations: number;
  sends: number;
  run: string;
  firstPhone: number;
  maxMs: number;
}): Promise<RaceResult> {
  const { db, queue, config } = o.stack;
  const settings = { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };
  const problems: string[] = [];
  const races: Array<{ id: string; phone: string }> = [];
  for (let k = 0; k < o.conversations; k++) {
    const phone = `+447700${o.firstPhone + k}`;
    races.push({ id: await expiredConversation(o.stack, o.org, phone, `${o.run}r${k}`, 30), phone });
  }
  await o.fake.take();

  const raceMs: number[] = [];
  const bridgesStored: number[] = [];
  for (const [k, race] of races.entries()) {
    // Open every connection first, so the sends below do not wait on connection setup.
    await Promise.all(Array.from({ length: o.sends }, () => sql`SELECT 1`.execute(o.raceDb)));
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: o.sends }, (_, j) =>
      composeMessage(o.raceDb, queue, o.org.id, { conversationId: race.id, sender: { type: 'staff', userId: null }, channel: 'whatsapp', body: `Race ${o.run} ${k}.${j}: your car is ready` }, settings)));
    raceMs.push(performance.now() - t0);
    const outcomes = tally(results.map((r) => (r.status === 'rejected' ? `error ${r.reason instanceof Error ? r.reason.message : String(r.reason)}` : describeOutcome(r.value))));
    const bridged = outcomes.get('bridged window_expired_bridge_sent') ?? 0;
    const suppressed = outcomes.get('failed window_expired_bridge_recently_sent') ?? 0;
    if (bridged !== 1 || suppressed !== o.sends - 1) problems.push(`${o.label} conversation ${k}: outcomes ${[...outcomes].map(([s, n]) => `${s} x${n}`).join(', ')}`);
    const stored = await db.selectFrom('messages').select(['notification_type', 'channel', 'status']).where('conversation_id', '=', race.id).where('direction', '=', 'outbound').execute();
    bridgesStored.push(stored.filter((m) => m.notification_type === 'bridge').length);
    const whatsapp = stored.filter((m) => m.channel === 'whatsapp');
    if (whatsapp.length !== o.sends || whatsapp.some((m) => m.status !== 'failed')) {
      problems.push(`${o.label} conversation ${k}: ${whatsapp.length} WhatsApp messages recorded (expected ${o.sends}, all failed)`);
    }
  }

  // Let the workers deliver the bridges, then count the provider's requests per conversation.
  const ids = races.map((r) => r.id);
  const deadline = Date.now() + o.maxMs;
  for (;;) {
    const pending = await db.selectFrom('messages').select((e) => e.fn.countAll<number>().as('n'))
      .where('conversation_id', 'in', ids).where('notification_type', '=', 'bridge').where('provider_message_id', 'is', null).where('status', '!=', 'failed')
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) break;
    if (Date.now() > deadline) {
      problems.push(`${o.label}: ${pending.n} bridge SMS still undelivered after ${o.maxMs / 1000} s`);
      break;
    }
    await sleep(100);
  }
  const bridgeIds = (await db.selectFrom('messages').select('id').where('conversation_id', 'in', ids).where('notification_type', '=', 'bridge').execute()).map((m) => m.id);
  await waitForJobs(db, bridgeIds, 30_000);
  const requests = await o.fake.take();
  const perPhone = tally(requests.map((r) => r.to ?? ''));
  const bridgesDelivered = races.map((r) => perPhone.get(r.phone) ?? 0);
  const stray = requests.filter((r) => !races.some((x) => x.phone === r.to));
  if (stray.length) problems.push(`${o.label}: ${stray.length} unexpected provider requests: ${sample(stray.map((r) => `${r.to} "${r.body}"`))}`);
  const bridgeBody = new RegExp(`^Bench Garage: Update for you\\. WhatsApp: wa\\.me/\\d+ Portal: example\\.com/l/[A-Za-z0-9]{${PORTAL_LINK_CODE_LENGTH}}$`);
  const badBodies = requests.filter((r) => !bridgeBody.test(r.body ?? ''));
  if (badBodies.length) problems.push(`${o.label}: ${badBodies.length} bridge SMS with an unexpected body: ${sample(badBodies.map((r) => `"${r.body}"`))}`);
  if (bridgesStored.some((n) => n !== 1)) problems.push(`${o.label}: bridge SMS stored per conversation ${bridgesStored.join(',')} (each must be 1)`);
  if (bridgesDelivered.some((n) => n !== 1)) problems.push(`${o.label}: bridge SMS received by the provider per conversation ${bridgesDelivered.join(',')} (each must be 1)`);
  return { conversations: o.conversations, sendsPerConversation: o.sends, bridgesStored, bridgesDelivered, raceMs, problems };
}

function describeOutcome(r: ComposeOutcome): string {
  if (r.outcome === 'suppressed') return `suppressed ${r.reason}`;
  return `${r.outcome} ${r.message.failure_reason ?? ''}`.trim();
}
