/**
 * Helpers for the delivery-pipeline tests (test/sending/delivery-*.test.ts):
 * bounded polling instead of sleeps, conversations with a chosen WhatsApp
 * window, and the send / retry API calls.
 */
import { sql, type Kysely } from 'kysely';
import type { Channel, Database, Message } from '../../src/db/schema.js';

/** Server settings for delivery tests against the fake providers: live adapters, quick retries, 3 attempts. */
export const LIVE_DELIVERY_ENV = {
  OUTBOUND_PROVIDERS: 'live',
  PROVIDER_TIMEOUT_MS: '10000',
  DELIVERY_RETRY_DELAY_SECONDS: '1',
  DELIVERY_MAX_ATTEMPTS: '3',
} as const;

export type WaitOptions = {
  /** Give up after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
};

/**
 * Poll `probe` until it returns something truthy, or fail after a bounded time.
 * @param what a description for the failure message ("message delivered")
 * @returns the probe's first truthy value
 * @throws Error naming `what` and the last value seen, when time runs out
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await probe();
    if (last) return last as T;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what} (last probe: ${JSON.stringify(last)})`);
}

/**
 * Wait until `condition` stays true for `forMs` (default 500 ms): a bounded way to
 * assert that nothing more happens (no extra request, no status change).
 */
export async function holdsFor(condition: () => boolean | Promise<boolean>, forMs = 500, intervalMs = 25): Promise<boolean> {
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    if (!(await condition())) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return condition();
}

/** The stored message row (as the owner role). */
export async function messageRow(db: Kysely<Database>, id: string): Promise<Message> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Wait until the message `id` satisfies `done` (e.g. reaches a status).
 * @returns the row at that moment
 */
export async function waitForMessage(db: Kysely<Database>, id: string, what: string, done: (m: Message) => boolean, options: WaitOptions = {}): Promise<Message> {
  let last: Message | undefined;
  try {
    return await waitFor(what, async () => {
      last = await messageRow(db, id);
      return done(last) ? last : null;
    }, options);
  } catch (err) {
    const seen = last ? { status: last.status, attempts: last.attempts, failureReason: last.failure_reason, providerErrorCode: last.provider_error_code, provider: last.provider, providerMessageId: last.provider_message_id } : null;
    throw new Error(`${(err as Error).message.split(' (last probe')[0]}; message ${id} was ${JSON.stringify(seen)}`);
  }
}

/** Wait until message `id` has `status`. */
export function waitForStatus(db: Kysely<Database>, id: string, status: Message['status'], options: WaitOptions = {}): Promise<Message> {
  return waitForMessage(db, id, `message ${status}`, (m) => m.status === status, options);
}

/**
 * A conversation with a customer, as if the customer had last written on
 * `lastChannel`. `whatsappWindow`: `open` (expires in 23 h), `expired`
 * (expired an hour ago) or `never` (no WhatsApp message ever).
 */
export async function createConversation(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  opts: { lastChannel?: Channel | null; whatsappWindow?: 'open' | 'expired' | 'never' } = {},
): Promise<{ id: string }> {
  const now = Date.now();
  const window = opts.whatsappWindow ?? 'never';
  return db.insertInto('conversations').values({
    org_id: orgId,
    customer_id: customerId,
    contact_phone: null,
    contact_name: null,
    last_channel: opts.lastChannel ?? null,
    last_inbound_at: new Date(now - 60_000),
    last_activity_at: new Date(now - 60_000),
    assignee_id: null,
    work_order_id: null,
    context_badge: null,
    whatsapp_window_expires_at: window === 'open' ? new Date(now + 23 * 3600_000) : window === 'expired' ? new Date(now - 3600_000) : null,
  }).returning('id').executeTakeFirstOrThrow();
}

export type ApiReply = { status: number; json: any };

async function call(baseUrl: string, path: string, token: string, body: unknown): Promise<ApiReply> {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** `POST /v1/conversations/{id}/messages`. */
export function sendMessage(baseUrl: string, token: string, conversationId: string, body: Record<string, unknown>): Promise<ApiReply> {
  return call(baseUrl, `/v1/conversations/${conversationId}/messages`, token, body);
}

/** `POST /v1/conversations/{id}/messages`, requiring 201 `queued`; returns the message id. */
export async function sendQueued(baseUrl: string, token: string, conversationId: string, body: Record<string, unknown>): Promise<string> {
  const r = await sendMessage(baseUrl, token, conversationId, body);
  if (r.status !== 201 || r.json?.outcome !== 'queued') throw new Error(`expected 201 queued, got ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.message.id as string;
}

/** `POST /v1/messages/{id}/retry`. */
export function retryMessage(baseUrl: string, token: string, messageId: string): Promise<ApiReply> {
  return call(baseUrl, `/v1/messages/${messageId}/retry`, token, undefined);
}

/** Decode an HTTP Basic `authorization` header to `user:password`. */
export function basicCredentials(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return null;
  return Buffer.from(header.slice(6), 'base64').toString('utf8');
}

/**
 * Script a fake per recipient instead of in one shared FIFO, so a delivery
 * still in flight from another test (a bridge SMS, a retry) cannot consume
 * this test's script. Requests for a recipient with nothing scripted get
 * `fallback`.
 * @param keyOf the recipient of a request (`To` for Twilio, `to` for Meta)
 */
export function scriptPerRecipient<Body, Script>(
  fake: { respondWith(next: (request: { body: Body }) => Script): void },
  keyOf: (body: Body) => string | null | undefined,
  fallback: Script,
): { script(recipient: string, ...steps: Script[]): void } {
  const scripts = new Map<string, Script[]>();
  fake.respondWith((request) => {
    const key = keyOf(request.body);
    return (key ? scripts.get(key)?.shift() : undefined) ?? fallback;
  });
  return {
    script(recipient, ...steps) {
      scripts.set(recipient, [...(scripts.get(recipient) ?? []), ...steps]);
    },
  };
}

export type DeliveryJob = { state: string; retry_count: number; retry_limit: number };

/**
 * The pg-boss `deliver-message` jobs queued for one message, oldest first
 * (`state`: created, retry, active, completed, failed …).
 */
export async function deliveryJobs(db: Kysely<Database>, messageId: string): Promise<DeliveryJob[]> {
  const r = await sql<DeliveryJob>`
    SELECT state::text AS state, retry_count, retry_limit FROM pgboss.job
    WHERE name = 'deliver-message' AND data->>'messageId' = ${messageId}
    ORDER BY created_on`.execute(db);
  return r.rows;
}
