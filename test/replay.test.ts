/**
 * `npm run replay` against a real server on a fresh database seeded with
 * the demo garage: the replayed day passes its own checks, twice in a row
 * (the second run is a new day checked against what the first left), and
 * the checks really catch what they claim to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoIfEmpty } from '../src/seed/demo.js';
import { issueDemoPortalLink } from '../src/seed/demo-portal-link.js';
import { main } from '../src/cli/replay.js';
import { runReplay, type ReplayResult } from '../src/cli/replay/run.js';
import { formatSummary, type ReplaySummary } from '../src/cli/replay/summary.js';
import { verifyReplay, type Check } from '../src/cli/replay/verify.js';
import type { Snapshot } from '../src/cli/replay/snapshot.js';
import { startTestServer } from './support/server.js';

const PUBLIC_BASE_URL = 'https://garage.example.com';

function failed(checks: readonly Check[]): string[] {
  return checks.filter((c) => !c.passed).map((c) => c.name);
}

/** A deep-enough copy of a snapshot to tamper with. */
function copy(s: Snapshot): Snapshot {
  return {
    ...s,
    conversations: s.conversations.map((c) => ({ ...c, whatsappWindow: { ...c.whatsappWindow } })),
    messages: new Map([...s.messages].map(([id, list]) => [id, list.map((m) => ({ ...m }))])),
  };
}

test('replay: a garage day of signed webhooks passes its self-check, run after run', { timeout: 600_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-replay-'));
  const env = {
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET: 'replay-test-app-secret',
    DEMO_TWILIO_AUTH_TOKEN: 'replay-test-twilio-token',
    DATA_DIR: dataDir,
  };
  // The shared test server (real app, job queue and worker) on a fresh database, then the demo seed.
  const server = await startTestServer(env);
  t.after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const demo = await seedDemoIfEmpty(server.db, server.config);
  assert.ok(demo, 'the fresh database is seeded');
  // What every demo start does: a magic link for the replay's portal customer in DATA_DIR.
  const portalLink = await issueDemoPortalLink(server.db, server.config);
  assert.ok(portalLink);
  const baseUrl = server.baseUrl;

  let first: ReplaySummary;
  await t.test('first run, through the CLI entry (token read from DATA_DIR/demo-api-token)', async () => {
    const out: string[] = [];
    const code = await main(['--url', baseUrl, '--json', '--run-id', 'test-day-1'], env, { out: (l) => out.push(l), err: (l) => out.push(l) });
    const report = JSON.parse(out.join('\n')) as { ok: boolean; summary: ReplaySummary; checks: Check[] };
    assert.equal(code, 0, formatSummary(report.summary, report.checks));
    first = report.summary;
    assert.ok(first.inbound.distinct >= 500, `${first.inbound.distinct} inbound messages`);
    assert.equal(first.inbound.stored, first.inbound.distinct);
    assert.ok(first.inbound.senders >= 95, `${first.inbound.senders} senders`);
    assert.ok(first.requests.retries > 0 && first.inbound.duplicateDeliveries > 0 && first.inbound.albums > 0 && first.inbound.batches > 0);
    // 40 demo customers had a conversation already: everyone else who wrote is new.
    assert.equal(first.conversations.created, first.inbound.senders - 40);
    assert.equal(first.conversations.created, first.conversations.unseenSenders);
    assert.equal(first.statuses.outboundMessages > 100, true, `${first.statuses.outboundMessages} outbound messages got callbacks`);
    assert.ok(first.statuses.failed > 0 && first.statuses.advanced > 0);
    const portal = report.checks.filter((c) => c.name.startsWith('portal:'));
    assert.equal(portal.length, 5, 'the portal part ran (link read from DATA_DIR/demo-portal-link)');
    assert.ok(portal.every((c) => c.passed && c.checked > 0));
  });

  let second: ReplayResult;
  await t.test('second run: a new day, checked against what the first left', async () => {
    second = await runReplay({
      baseUrl,
      apiToken: demo.apiToken,
      secrets: { twilioAuthToken: env.DEMO_TWILIO_AUTH_TOKEN, whatsAppAppSecret: env.WHATSAPP_APP_SECRET, publicBaseUrl: PUBLIC_BASE_URL },
      seed: 'another-day',
      runId: 'test-day-2',
      targetMessages: 500,
      concurrency: 8,
      portalLink,
    });
    assert.ok(second.ok, formatSummary(second.summary, second.checks));
    assert.equal(second.summary.inbound.stored, second.summary.inbound.distinct);
    assert.equal(second.summary.conversations.created, second.summary.conversations.unseenSenders);
  });

  await t.test('the checks catch a duplicate, a regressed status, a lost window and a mis-filed sender', () => {
    assert.deepEqual(failed(verifyReplay(second.expectations, second.after)), []);

    const duplicated = copy(second.after);
    const replayed = new Set(second.expectations.inbound.map((m) => m.providerMessageId));
    const [conversationId, list] = [...duplicated.messages].find(([, l]) => l.some((m) => replayed.has(m.providerMessageId ?? '')))!;
    const message = list.find((m) => replayed.has(m.providerMessageId ?? ''))!;
    duplicated.messages.set(conversationId, [...list, { ...message, id: '00000000-0000-4000-8000-000000000000' }]);
    assert.ok(failed(verifyReplay(second.expectations, duplicated)).includes('inbound messages stored exactly once'));

    const regressed = copy(second.after);
    const outbound = [...regressed.messages.values()].flat().find((m) => m.direction === 'outbound' && (m.status === 'read' || m.status === 'failed'))!;
    outbound.status = 'delivered';
    assert.ok(failed(verifyReplay(second.expectations, regressed)).includes('outbound status = highest status seen (forward-only)'));

    const windowLost = copy(second.after);
    const sender = second.expectations.senders.find((s) => s.window.mustBeOpen)!;
    const convo = windowLost.conversations.find((c) => (c.customer?.phone ?? c.contactPhone) === sender.phone)!;
    convo.whatsappWindow = { state: 'expired', expiresAt: new Date(Date.parse(sender.window.expiresAt!) - 3_600_000).toISOString() };
    assert.ok(failed(verifyReplay(second.expectations, windowLost)).includes('WhatsApp window open until latest customer message + 24 h'));

    const misfiled = copy(second.after);
    const pick = second.expectations.senders.find((s) => s.filing.kind === 'pick')!;
    misfiled.conversations.find((c) => c.customer?.phone === pick.phone)!.needsWorkOrderPick = false;
    assert.ok(failed(verifyReplay(second.expectations, misfiled)).includes('customers: linked to their one active work order, or flagged to pick'));
  });

  await t.test('the portal photos are in the staff thread: stored once each, without location', async () => {
    const rows = await server.db.selectFrom('media_objects').select(['source', 'state', 'content_type'])
      .where('conversation_id', '=', portalLink.conversationId).execute();
    // Two runs of 1 + 3 + 1 photos; the retried message and the refused PDF stored nothing more.
    assert.equal(rows.length, 10, JSON.stringify(rows));
    assert.ok(rows.every((r) => r.source === 'upload' && r.state === 'stored'));
    assert.deepEqual([...new Set(rows.map((r) => r.content_type))].sort(), ['image/jpeg', 'image/png']);
  });

  await t.test('the portal checks fail when the customer cannot sign in', async () => {
    const { replayPortal } = await import('../src/cli/replay/portal-day.js');
    const checks = await replayPortal({ baseUrl, apiToken: demo.apiToken, runId: 'bad-link', link: { ...portalLink, code: 'AAAAAAAAAAAAAAAA' } });
    assert.deepEqual(failed(checks), ['portal: a link scanner (HEAD, GET) signs nobody in', 'portal: Continue signs the customer in; the API token gets no portal session']);
  });

  await t.test('wrong provider secrets stop the replay before it sends a day (exit 2)', async () => {
    const out: string[] = [];
    const code = await main(['--url', baseUrl, '--quiet'], { ...env, WHATSAPP_APP_SECRET: 'not-the-secret', DEMO_TWILIO_AUTH_TOKEN: 'not-the-token' }, { out: (l) => out.push(l), err: (l) => out.push(l) });
    assert.equal(code, 2, out.join('\n'));
    assert.match(out.join('\n'), /signature/);
  });
});
