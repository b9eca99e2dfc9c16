/**
 * The idle phase of `bench/send.ts`: how long a staff reply waits when
 * nothing else is queued (issue 16: "an idle compose → provider request p99
 * ≤ 100 ms").
 *
 * One message at a time: `composeMessage` (message row and delivery job in
 * one transaction), then wait until the fake Twilio has received it (the
 * delivery worker woken by the queue's NOTIFY, or its poll). Latency per
 * message = compose call started → the provider's answer committed (the
 * message's provider id is visible, polled every 2 ms), in ms on this
 * process's clock: an upper bound of compose → provider request.
 */
import { sql } from 'kysely';
import { composeMessage } from '../../src/sending/compose-message.js';
import type { TestOrg } from '../../test/support/fixtures.js';
import type { FakeTwilioChild } from './fake-twilio.js';
import type { BenchConversation, Stack } from './stack.js';

export type IdleResult = {
  /** compose started → provider id committed, ms, sorted ascending */
  latencies: Float64Array;
  problems: string[];
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Send `count` messages one after another into an idle outbox.
 * @param gapMs pause between messages (lets the worker go back to waiting), ms
 */
export async function runIdle(o: {
  label: string;
  stack: Stack;
  fake: FakeTwilioChild;
  org: TestOrg;
  conversations: BenchConversation[];
  count: number;
  gapMs: number;
  body: (i: number) => string;
}): Promise<IdleResult> {
  const { db, queue, config } = o.stack;
  const settings = { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };
  const problems: string[] = [];
  const latencies: number[] = [];
  await o.fake.take();
  for (let i = 0; i < o.count; i++) {
    await sleep(o.gapMs);
    const conversation = o.conversations[i % o.conversations.length]!;
    const started = performance.now();
    const r = await composeMessage(db, queue, o.org.id, { conversationId: conversation.id, sender: { type: 'staff', userId: null }, channel: 'sms', body: o.body(i) }, settings);
    if (r.outcome !== 'queued') {
      problems.push(`${o.label}: message ${i} did not queue (${r.outcome})`);
      continue;
    }
    const deadline = started + 30_000;
    for (;;) {
      const row = await sql<{ sent: boolean }>`SELECT provider_message_id IS NOT NULL AS sent FROM messages WHERE org_id = ${o.org.id} AND id = ${r.message.id}`.execute(db);
      if (row.rows[0]?.sent) break;
      if (performance.now() > deadline) {
        problems.push(`${o.label}: message ${i} not sent within 30 s`);
        break;
      }
      await sleep(2);
    }
    latencies.push(performance.now() - started);
  }
  const received = await o.fake.take();
  if (received.length !== o.count) problems.push(`${o.label}: the fake received ${received.length} requests for ${o.count} messages`);
  return { latencies: Float64Array.from(latencies).sort(), problems };
}
