/**
 * The staff app's pure rules (web/src/lib), without a browser: the address
 * of an inbox view, which date range a visit starts on, the portal-activity
 * banner, the "Showing: …" line, and merging live updates into a thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboxUrl, initialRange, parseInboxUrl, type InboxUrlState } from '../../web/src/lib/url-state.js';
import { portalBanner } from '../../web/src/lib/portal-banner.js';
import { rangeLabel, showingLine } from '../../web/src/lib/range-labels.js';
import { laterStatus, mergeMessages } from '../../web/src/lib/merge.js';
import { formatUkDate, parseUkDate, parseUkDateTime } from '../../web/src/lib/uk-date.js';
import { staleKeys } from '../../web/src/lib/stale-queries.js';

const DAY = 86_400_000;

test('the inbox address: tab from the path; range, dates, filter, search and conversation from the query', () => {
  assert.deepEqual(parseInboxUrl('/messages', '?range=custom&start=2026-11-01&end=2026-11-15&filter=mine&q=brakes&conversation=abc'), {
    tab: 'inbox', range: 'custom', start: '2026-11-01', end: '2026-11-15', filter: 'mine', q: 'brakes', conversation: 'abc',
  });
  assert.equal(parseInboxUrl('/messages/approvals', '').tab, 'approvals');
  assert.equal(parseInboxUrl('/messages/analytics/', '').tab, 'analytics');
  assert.equal(parseInboxUrl('/messages/whatever', '').tab, 'inbox');
  const junk = parseInboxUrl('/messages', '?range=forever&filter=starred&start=yesterday');
  assert.equal(junk.range, null, 'an unknown range is ignored');
  assert.equal(junk.filter, 'all', 'an unknown filter is All');
  assert.equal(parseInboxUrl('/messages', '?range=custom&start=2026-11-01').range, null, 'Custom without both dates is not a range');
  assert.equal(parseInboxUrl('/messages', '?range=today&start=2026-11-01&end=2026-11-02').start, null, 'dates only belong to Custom');
});

test('the inbox address round-trips and leaves defaults out', () => {
  const state: InboxUrlState = { tab: 'inbox', range: 'custom', start: '2026-10-01', end: '2026-10-31', filter: 'unread', q: '', conversation: 'c1' };
  const url = inboxUrl(state);
  assert.equal(url, '/messages?range=custom&start=2026-10-01&end=2026-10-31&filter=unread&conversation=c1');
  const [path, search] = url.split('?') as [string, string];
  assert.deepEqual(parseInboxUrl(path, `?${search}`), state);
  assert.equal(inboxUrl({ ...state, range: 'last_30_days', filter: 'all', conversation: null }), '/messages?range=last_30_days');
  assert.equal(inboxUrl({ ...state, tab: 'approvals' }), '/messages/approvals');
});

test('the starting range: the address, else the preset remembered in this browser, else Last 30 days', () => {
  const none = { range: null, start: null, end: null };
  assert.deepEqual(initialRange(none, { preset: null, custom: null }), { range: 'last_30_days', start: null, end: null });
  assert.deepEqual(initialRange(none, { preset: 'this_week', custom: null }), { range: 'this_week', start: null, end: null });
  assert.deepEqual(initialRange({ range: 'today', start: null, end: null }, { preset: 'this_week', custom: null }), { range: 'today', start: null, end: null });
  assert.deepEqual(initialRange(none, { preset: 'custom', custom: { start: '2026-01-01', end: '2026-01-31' } }), { range: 'custom', start: '2026-01-01', end: '2026-01-31' });
  assert.deepEqual(initialRange(none, { preset: 'custom', custom: null }), { range: 'last_30_days', start: null, end: null }, 'a remembered Custom needs its dates');
  assert.deepEqual(initialRange(none, { preset: 'bogus', custom: null }), { range: 'last_30_days', start: null, end: null });
});

test('the portal banner: none within 30 days, yellow after, red when never (portal-messaging-fallback.txt wording)', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  assert.deepEqual(portalBanner(new Date(now.getTime() - 3 * DAY).toISOString(), now), { kind: 'none' });
  assert.deepEqual(portalBanner(new Date(now.getTime() - 30 * DAY).toISOString(), now), { kind: 'none' }, 'exactly 30 days is still active');
  const inactive = portalBanner('2026-09-14T10:00:00Z', now);
  assert.equal(inactive.kind, 'inactive');
  assert.equal(inactive.kind === 'inactive' && inactive.text, "This customer hasn't logged in recently (last: 14 Sep 2026)");
  assert.equal(inactive.kind === 'inactive' && inactive.tone, 'warning');
  for (const never of [null, undefined]) {
    const b = portalBanner(never, now);
    assert.equal(b.kind, 'never');
    assert.equal(b.kind === 'never' && b.text, 'This customer has never accessed the portal');
    assert.equal(b.kind === 'never' && b.tone, 'danger');
  }
});

test('"Showing: …" names the preset, the custom dates, or search across all time', () => {
  assert.equal(showingLine({ q: '', range: 'last_30_days', start: null, end: null }), 'Showing: Last 30 days');
  assert.equal(showingLine({ q: '', range: 'custom', start: '2026-11-01', end: '2026-11-15' }), 'Showing: 1 Nov 2026 – 15 Nov 2026');
  assert.equal(showingLine({ q: 'brakes', range: 'today', start: null, end: null }), 'Showing: search results across all time');
  assert.equal(rangeLabel('all_time', null, null), 'All time');
});

test('live updates: messages merge by id in time order, and statuses never move backwards', () => {
  const a = { id: 'a', occurredAt: '2026-11-23T10:00:00Z', status: 'sent' };
  const b = { id: 'b', occurredAt: '2026-11-23T09:00:00Z', status: null };
  const merged = mergeMessages([a], [b, { ...a, status: 'delivered' }]);
  assert.deepEqual(merged.map((m) => [m.id, m.status]), [['b', null], ['a', 'delivered']]);
  const stalePage = mergeMessages([{ ...a, status: 'read' }], [{ ...a, status: 'delivered' }]);
  assert.deepEqual(stalePage.map((m) => m.status), ['read'], 'a page fetched before the read event does not undo it');
  const draft = { id: 'd', occurredAt: '2026-11-23T11:00:00Z', status: 'pending_approval', body: 'We can fit a cheaper part', failureReason: null as string | null };
  const beforeRejection = mergeMessages([{ ...draft, status: 'rejected', failureReason: 'Check stock first' }], [draft]);
  assert.deepEqual(beforeRejection.map((m) => [m.status, m.failureReason]), [['rejected', 'Check stock first']], 'nor the rejection and its reason');
  const beforeApproval = mergeMessages([{ ...draft, status: 'pending', body: 'We can fit it this week.' }], [draft]);
  assert.deepEqual(beforeApproval.map((m) => [m.status, m.body]), [['pending', 'We can fit it this week.']], "nor the approver's edited text");
  const later = mergeMessages([{ ...draft, status: 'sent', body: 'x' }], [{ ...draft, status: 'failed', body: 'x', failureReason: 'Unreachable' }]);
  assert.deepEqual(later.map((m) => [m.status, m.failureReason]), [['failed', 'Unreachable']], 'a newer page brings its reason');
  type State = 'pending' | 'stored' | 'unavailable';
  const photo = { id: 'p', occurredAt: '2026-11-23T12:00:00Z', status: null, media: [{ state: 'pending' as State }, { state: 'pending' as State }] };
  const beforeDownload = mergeMessages([{ ...photo, media: [{ state: 'stored' as State }, { state: 'pending' as State }] }], [photo]);
  assert.deepEqual(beforeDownload[0]!.media!.map((m) => m.state), ['stored', 'pending'], 'a page fetched before a photo was stored does not show it pending again');
  const afterDownload = mergeMessages([photo], [{ ...photo, media: [{ state: 'stored' as State }, { state: 'unavailable' as State }] }]);
  assert.deepEqual(afterDownload[0]!.media!.map((m) => m.state), ['stored', 'unavailable'], 'a newer page brings the settled photos');
  assert.equal(laterStatus('delivered', 'sent'), 'delivered', 'a late "sent" callback does not undo delivered');
  assert.equal(laterStatus('sent', 'read'), 'read');
  assert.equal(laterStatus('pending_approval', 'pending'), 'pending', 'approved drafts go out');
  assert.equal(laterStatus('pending_approval', 'rejected'), 'rejected');
  assert.equal(laterStatus('failed', 'pending'), 'pending', 'a retried message starts again');
  assert.equal(laterStatus('read', null), 'read');
});

test('live events make the queries of what they changed stale; a resync makes every query stale', () => {
  const at = '2026-12-01T10:00:00Z';
  assert.deepEqual(staleKeys({ type: 'message.created', conversationId: 'c1', payload: {}, at }), [['conversation', 'c1'], ['customers']]);
  assert.deepEqual(staleKeys({ type: 'conversation.work_order', conversationId: 'c1', payload: {}, at }), [['work-orders'], ['customers'], ['conversation', 'c1']]);
  assert.deepEqual(staleKeys({ type: 'resync', conversationId: null, payload: {}, at }), [[]]);
  assert.deepEqual(staleKeys({ type: 'approval.requested', conversationId: 'c1', payload: {}, at }), []);
});

test('UK dates: dd/mm/yyyy typed and shown, impossible days refused, instants with a time', () => {
  assert.equal(parseUkDate('01/02/2026'), '2026-02-01', 'day first');
  assert.equal(parseUkDate('1/2/2026'), '2026-02-01');
  assert.equal(parseUkDate('29/02/2024'), '2024-02-29', 'a leap day');
  assert.equal(parseUkDate('29/02/2026'), null);
  assert.equal(parseUkDate('31/04/2026'), null);
  assert.equal(parseUkDate('13/13/2026'), null);
  assert.equal(parseUkDate('2026-02-01'), null, 'not the ISO form');
  assert.equal(parseUkDate('01/02/26'), null, 'four-digit years');
  assert.equal(formatUkDate('2026-02-01'), '01/02/2026');
  assert.equal(formatUkDate(''), '');
  assert.equal(parseUkDateTime('01/02/2026 14:30'), '2026-02-01T14:30:00');
  assert.equal(parseUkDateTime('01/02/2026 09:05:07'), '2026-02-01T09:05:07');
  assert.equal(parseUkDateTime('01/02/2026 24:00'), null);
  assert.equal(parseUkDateTime('01/02/2026'), null, 'an instant needs its time');
});
