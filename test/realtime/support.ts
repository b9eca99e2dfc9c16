/**
 * Helpers for the real-time tests: signed inbound SMS through the real
 * webhook, bounded waits on what a stream received, and the log's rows.
 */
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { TestOrg } from '../support/fixtures.js';
import { uniquePhone } from '../support/fixtures.js';
import { holdsFor, waitFor } from '../support/delivery.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import type { EventClient, ReceivedEvent } from './sse-client.js';

/** POST a signed inbound SMS to `baseUrl` and expect 200; returns its sid and sender. */
export async function inboundSms(baseUrl: string, org: TestOrg, body: string, from = uniquePhone()): Promise<{ sid: string; from: string }> {
  const sid = newSid();
  const res = await postTwilio(baseUrl, '/twilio/sms', smsParams({ sid, from, to: org.twilioNumber, body }), org.twilioAuthToken);
  assert.equal(res.status, 200, res.body);
  return { sid, from };
}

/** Wait until the client is registered for live events (a fresh stream's first `id:` has arrived). */
export function waitUntilLive(client: EventClient): Promise<string> {
  return waitFor('the stream to be live', () => client.lastEventId(), { timeoutMs: 30_000 });
}

/**
 * Wait until `client` has received events matching `match`, `count` of them.
 * @returns the matching events, in arrival order
 */
export async function waitForEvents(client: EventClient, what: string, match: (e: ReceivedEvent) => boolean, count = 1): Promise<ReceivedEvent[]> {
  return waitFor(`${count} × ${what}`, () => {
    const found = client.events.filter(match);
    return found.length >= count ? found : null;
  }, { timeoutMs: 60_000 });
}

/** Assert that `client` receives nothing matching `match` for a while (default 750 ms). */
export async function receivesNothing(client: EventClient, match: (e: ReceivedEvent) => boolean = () => true, forMs = 750): Promise<void> {
  const quiet = await holdsFor(() => !client.events.some(match), forMs);
  assert.ok(quiet, `unexpected events: ${JSON.stringify(client.events.filter(match).map((e) => [e.event, e.data.payload]))}`);
}

/** The body of a message.created event (undefined for other events). */
export const bodyOf = (e: ReceivedEvent): string | undefined => (e.event === 'message.created' ? (e.data.payload.body as string) : undefined);

/** The ids of every event of `orgId` in the log, in delivery order. */
export async function logCursors(db: Kysely<Database>, orgId: string): Promise<string[]> {
  const rows = await db.selectFrom('inbox_events').select(['tx', 'id']).where('org_id', '=', orgId).orderBy('tx').orderBy('id').execute();
  return rows.map((r) => `${r.tx}-${r.id}`);
}
