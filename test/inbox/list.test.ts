/**
 * The inbox list (issue 5 items 1–3): rows, date scopes with "any activity"
 * semantics in the organisation's time zone, the four read filters and
 * their counts in the same response, keyset paging, redaction.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, createWorkOrder, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { changeStatus, daysAgo, seedConversation, setTimeZone } from '../support/inbox.js';
import { call, signInAs, type Session } from '../auth/support.js';

let server: TestServer;

before(async () => { server = await startTestServer(); });
after(() => server.close());

async function staffOf(org: TestOrg, role: 'service_advisor' | 'technician' | 'manager' = 'service_advisor') {
  const user = await createStaff(server.db, org, role);
  return { user, session: await signInAs(server, user.email) };
}

const list = async (session: Session, query = '') => {
  const r = await call(server, session, 'GET', `/v1/conversations${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const ids = (json: any) => json.conversations.map((c: any) => c.id);

test('a row shows name, preview, time, unread count, last channel, context badge, assignee and work order', async () => {
  const org = await createOrg(server.db);
  const { user, session } = await staffOf(org);
  const customer = await createCustomer(server.db, org.id, { name: 'Priya Shah' });
  const wo = await createWorkOrder(server.db, org.id, customer.id);
  const now = Date.now();
  const convo = await seedConversation(server.db, org.id, {
    customerId: customer.id, assigneeId: user.id, workOrderId: wo.id,
    entries: [
      { direction: 'outbound', at: new Date(now - 3_600_000), body: 'Your car is booked in', channel: 'sms' },
      { direction: 'inbound', at: new Date(now - 120_000), body: 'Thanks!   Can I   collect at 5?', channel: 'whatsapp' },
      { direction: 'inbound', at: new Date(now - 60_000), body: '', channel: 'whatsapp', contentType: 'image' },
    ],
  });
  const row = (await list(session)).conversations.find((c: any) => c.id === convo.id);
  assert.equal(row.displayName, 'Priya Shah');
  assert.equal(row.preview.body, 'Photo', 'a photo without a caption previews as "Photo"');
  assert.equal(row.preview.direction, 'inbound');
  assert.equal(row.unreadCount, 2);
  assert.equal(row.lastChannel, 'whatsapp');
  assert.deepEqual(row.assignee, { id: user.id, name: user.name });
  assert.equal(row.workOrder.number, wo.number);
  assert.equal(row.lastActivityAt, new Date(now - 60_000).toISOString());
});

test('voice calls preview as the spec words them', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const at = new Date();
  const call1 = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', channel: 'voice', at, body: '', contentType: 'call', metadata: { call: { durationSeconds: 41, outcome: 'answered' } } }] });
  const call2 = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', channel: 'voice', at, body: '', contentType: 'call', metadata: { call: { durationSeconds: 38, outcome: 'voicemail' } } }] });
  const rows = (await list(session)).conversations;
  assert.equal(rows.find((c: any) => c.id === call1.id).preview.body, 'Voice call - 41s - ended');
  assert.equal(rows.find((c: any) => c.id === call2.id).preview.body, 'Voicemail - 0:38');
  assert.equal(rows.find((c: any) => c.id === call2.id).lastChannel, 'voice');
});

test('the default scope is Last 30 days, and All time widens it', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const recent = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: daysAgo(3) }] });
  const old = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: daysAgo(45) }] });
  const json = await list(session);
  assert.deepEqual(json.range.preset, 'last_30_days');
  assert.equal(json.range.label, 'Last 30 days');
  assert.equal(json.range.timeZone, 'Europe/London');
  assert.deepEqual(ids(json), [recent.id]);
  assert.equal(json.counts.all, 1, 'the All count means conversations in the last 30 days');
  const all = await list(session, '?range=all_time');
  assert.deepEqual(ids(all), [recent.id, old.id]);
  assert.equal(all.counts.all, 2);
  assert.deepEqual(ids(await list(session, '?range=today')), []);
  assert.deepEqual(ids(await list(session, '?range=this_month')).includes(old.id), false);
});

test('any activity counts: a status change inside the range brings an old thread into scope', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const convo = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'outbound', at: daysAgo(60), status: 'sent' }] });
  assert.deepEqual(ids(await list(session)), []);
  await changeStatus(server.db, org.id, convo.messageIds[0]!, 'delivered', new Date());
  assert.deepEqual(ids(await list(session)), [convo.id], 'a delivery receipt today is activity in Last 30 days');
  assert.deepEqual(ids(await list(session, '?range=today')), [convo.id]);
});

test('delivery steps on a day that already has activity leave the conversation row alone, and still count', async () => {
  // Issue 16: the scope keeps the day of the latest activity, so a status step rewrites the
  // conversation row (and its eleven indexes) only when it brings a new day.
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const convo = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'outbound', at: new Date(), status: 'sent' }] });
  const version = async () => (await sql<{ v: string }>`SELECT xmin::text AS v FROM conversations WHERE id = ${convo.id}`.execute(server.db)).rows[0]!.v;
  const before = await version();
  await changeStatus(server.db, org.id, convo.messageIds[0]!, 'delivered', new Date());
  await changeStatus(server.db, org.id, convo.messageIds[0]!, 'read', new Date());
  assert.equal(await version(), before, 'no new row version for steps on the same day');
  assert.deepEqual(ids(await list(session, '?range=today')), [convo.id]);
  const old = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'outbound', at: daysAgo(3), status: 'sent' }] });
  await changeStatus(server.db, org.id, old.messageIds[0]!, 'delivered', new Date());
  assert.deepEqual(new Set(ids(await list(session, '?range=today'))), new Set([convo.id, old.id]), 'a step on a new day moves the day forward');
});

test('a past custom range finds threads that were active then, even if active again since', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const both = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date('2025-03-10T12:00:00Z') }, { direction: 'inbound', at: daysAgo(1) }] });
  const onlyThen = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date('2025-03-12T09:00:00Z') }] });
  await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date('2025-02-01T09:00:00Z') }, { direction: 'inbound', at: daysAgo(2) }] });
  const march = await list(session, '?range=custom&start=2025-03-09&end=2025-03-15');
  assert.deepEqual(new Set(ids(march)), new Set([both.id, onlyThen.id]));
  assert.equal(march.counts.all, 2);
  assert.equal(march.range.from, '2025-03-09T00:00:00.000Z');
  assert.equal(march.range.to, '2025-03-16T00:00:00.000Z');
});

test('custom days are the garage\'s calendar days: the 25-hour day of the autumn clock change', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const at = (iso: string) => seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date(iso) }] });
  const earlyBst = await at('2025-10-25T23:30:00Z'); // 00:30 BST, Sunday 26 October (clocks go back at 02:00 BST)
  const lateGmt = await at('2025-10-26T23:30:00Z'); // 23:30 GMT, still 26 October
  await at('2025-10-25T22:30:00Z'); // 23:30 BST on the 25th
  await at('2025-10-27T00:30:00Z'); // 00:30 GMT on the 27th
  const day = await list(session, '?range=custom&start=2025-10-26&end=2025-10-26');
  assert.deepEqual(new Set(ids(day)), new Set([earlyBst.id, lateGmt.id]));
  assert.equal(day.range.from, '2025-10-25T23:00:00.000Z');
  assert.equal(day.range.to, '2025-10-27T00:00:00.000Z', 'the day is 25 hours long');
});

test('a Monday-to-Sunday week that spans two months, in another time zone', async () => {
  const org = await createOrg(server.db);
  await setTimeZone(server.db, org.id, 'America/New_York');
  const { session } = await staffOf(org);
  const at = (iso: string) => seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date(iso) }] });
  const lastOfSeptember = await at('2025-09-30T23:00:00Z'); // 19:00 EDT Tuesday 30 September
  const firstSundayOfOctober = await at('2025-10-06T03:30:00Z'); // 23:30 EDT Sunday 5 October
  await at('2025-10-06T04:30:00Z'); // 00:30 EDT Monday 6 October: next week
  await at('2025-09-29T03:00:00Z'); // 23:00 EDT Sunday 28 September: previous week
  const week = await list(session, '?range=custom&start=2025-09-29&end=2025-10-05');
  assert.deepEqual(new Set(ids(week)), new Set([lastOfSeptember.id, firstSundayOfOctober.id]));
  assert.equal(week.range.timeZone, 'America/New_York');
});

test('read filters and their counts come in one response, and follow reads and assignments', async () => {
  const org = await createOrg(server.db);
  const { user: me, session } = await staffOf(org);
  const { user: colleague } = await staffOf(org, 'manager');
  const unreadUnassigned = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: daysAgo(1) }] });
  const readMine = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), assigneeId: me.id, entries: [{ direction: 'inbound', at: daysAgo(2), read: true }] });
  const unreadTheirs = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), assigneeId: colleague.id, entries: [{ direction: 'inbound', at: daysAgo(3) }] });
  await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: daysAgo(90) }] });

  const all = await list(session);
  assert.deepEqual(all.counts, { all: 3, unread: 2, unassigned: 1, mine: 1 });
  assert.deepEqual(ids(await list(session, '?filter=unread')), [unreadUnassigned.id, unreadTheirs.id]);
  assert.deepEqual(ids(await list(session, '?filter=unassigned')), [unreadUnassigned.id]);
  assert.deepEqual(ids(await list(session, '?filter=mine')), [readMine.id]);
  assert.deepEqual((await list(session, '?range=all_time')).counts, { all: 4, unread: 3, unassigned: 2, mine: 1 });

  const read = await call(server, session, "POST", `/v1/conversations/${unreadTheirs.id}/read`, {});
  assert.equal(read.json?.markedRead, 1, read.text);
  assert.equal((await call(server, session, 'PUT', `/v1/conversations/${unreadUnassigned.id}/assignee`, { userId: me.id })).status, 200);
  const after = await list(session);
  assert.deepEqual(after.counts, { all: 3, unread: 1, unassigned: 0, mine: 2 });
  assert.deepEqual(ids(await list(session, '?filter=mine')), [unreadUnassigned.id, readMine.id]);
});

test('pages of 50 by default, keyset cursors, then the end', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const base = Date.now() - 3_600_000;
  const created: string[] = [];
  for (let i = 0; i < 53; i++) created.unshift((await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date(base + i * 1000) }] })).id);
  const first = await list(session);
  assert.equal(first.conversations.length, 50);
  assert.ok(first.nextCursor);
  const second = await list(session, `?cursor=${first.nextCursor}`);
  assert.deepEqual([...ids(first), ...ids(second)], created);
  assert.equal(second.nextCursor, null);
  assert.equal(second.counts.all, 53, 'counts cover the whole scope, not the page');
});

test('technicians see names, never phone numbers; an unknown sender shows as "Unknown sender"', async () => {
  const org = await createOrg(server.db);
  const { session: tech } = await staffOf(org, 'technician');
  const { session: advisor } = await staffOf(org);
  const phone = uniquePhone();
  const convo = await seedConversation(server.db, org.id, { contactPhone: phone, entries: [{ direction: 'inbound', at: new Date() }] });
  const techRow = (await list(tech)).conversations.find((c: any) => c.id === convo.id);
  assert.equal(techRow.displayName, 'Unknown sender');
  assert.equal(techRow.contactPhone, null);
  assert.ok(!JSON.stringify(await list(tech)).includes(phone.slice(1)));
  const advisorRow = (await list(advisor)).conversations.find((c: any) => c.id === convo.id);
  assert.equal(advisorRow.displayName, phone);
});

test('bad scope input is a 400 that names the problem', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  for (const q of ['?range=custom', '?range=custom&start=2025-03-10', '?range=custom&start=2025-03-10&end=2025-03-01', '?range=custom&start=2025-02-30&end=2025-03-01', '?range=yesterday', '?filter=starred']) {
    const r = await call(server, session, 'GET', `/v1/conversations${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.code, 'validation_failed', q);
  }
});

test("another organisation's conversations never appear, in rows or counts", async () => {
  const org = await createOrg(server.db);
  const other = await createOrg(server.db);
  const { session } = await staffOf(org);
  await seedConversation(server.db, other.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date() }] });
  const mine = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date() }] });
  const json = await list(session, '?range=all_time');
  assert.deepEqual(ids(json), [mine.id]);
  assert.equal(json.counts.all, 1);
});

test('the preview skips replies awaiting approval and system entries', async () => {
  const org = await createOrg(server.db);
  const { session } = await staffOf(org);
  const convo = await seedConversation(server.db, org.id, {
    contactPhone: uniquePhone(),
    entries: [
      { direction: 'inbound', at: new Date(Date.now() - 60_000), body: 'Is it ready?' },
      { direction: 'outbound', at: new Date(), body: 'Draft awaiting approval', status: 'pending_approval' },
    ],
  });
  const row = (await list(session)).conversations.find((c: any) => c.id === convo.id);
  assert.equal(row.preview.body, 'Is it ready?');
});
