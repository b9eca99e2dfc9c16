import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aiTurn, replyCredits, STAFF_ACTIVE_MS, type AiTurnState } from '../../src/domain/ai-turn.js';

const now = new Date('2026-12-01T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const base: AiTurnState = {
  aiEnabled: true, aiCreditExhausted: false, assigneeId: null,
  latestInbound: { id: 'in-1', receivedAt: ago(5_000) }, answeringInboundId: null, alreadyAnswered: false,
  latestStaffMessageAt: null, approvalPending: false, awaitingStaffAfterHandoff: false, lastCannedAt: null,
  debounceMs: 2_000, now,
};

test('answers a quiet conversation nobody has taken', () => {
  assert.deepEqual(aiTurn(base), { action: 'answer' });
  assert.deepEqual(aiTurn({ ...base, answeringInboundId: 'in-1' }), { action: 'answer' });
});

test('silent reasons, first match wins', () => {
  const cases: [Partial<AiTurnState>, string][] = [
    [{ aiEnabled: false, assigneeId: 'u1' }, 'ai_disabled'],
    [{ latestInbound: null }, 'no_inbound'],
    [{ alreadyAnswered: true, assigneeId: 'u1' }, 'already_answered'],
    [{ answeringInboundId: 'in-0', assigneeId: 'u1' }, 'superseded'],
    [{ assigneeId: 'u1', approvalPending: true }, 'assigned'],
    [{ latestStaffMessageAt: ago(1_000), approvalPending: true }, 'staff_replied'],
    [{ approvalPending: true, awaitingStaffAfterHandoff: true }, 'approval_pending'],
    [{ awaitingStaffAfterHandoff: true }, 'handed_off'],
  ];
  for (const [over, reason] of cases) assert.deepEqual(aiTurn({ ...base, ...over }), { action: 'silent', reason }, reason);
});

test('a person who wrote since the customer\'s message, or within 30 minutes, keeps the AI out; earlier than that does not', () => {
  assert.equal(aiTurn({ ...base, latestStaffMessageAt: ago(4_000) }).action, 'silent', 'after the inbound');
  assert.equal(aiTurn({ ...base, latestInbound: { id: 'in-1', receivedAt: ago(1000) }, answeringInboundId: 'in-1', latestStaffMessageAt: ago(STAFF_ACTIVE_MS - 1) }).action, 'silent', 'within the active period');
  assert.equal(aiTurn({ ...base, latestStaffMessageAt: ago(STAFF_ACTIVE_MS) }).action, 'answer', 'exactly 30 minutes ago and before the message');
});

test('debounce: at job start the latest message must be debounceMs old; at send time it is not checked again', () => {
  const fresh = { ...base, latestInbound: { id: 'in-1', receivedAt: ago(500) } };
  assert.deepEqual(aiTurn(fresh), { action: 'wait', untilMs: now.getTime() + 1_500 });
  assert.deepEqual(aiTurn({ ...fresh, latestInbound: { id: 'in-1', receivedAt: ago(2_000) } }), { action: 'answer' });
  assert.deepEqual(aiTurn({ ...fresh, answeringInboundId: 'in-1' }), { action: 'answer' });
});

test('credit exhausted: one canned reply per conversation per 24 hours, then silence', () => {
  const exhausted = { ...base, aiCreditExhausted: true };
  assert.deepEqual(aiTurn(exhausted), { action: 'canned' });
  assert.deepEqual(aiTurn({ ...exhausted, lastCannedAt: ago(23 * 3_600_000) }), { action: 'silent', reason: 'canned_recently_sent' });
  assert.deepEqual(aiTurn({ ...exhausted, lastCannedAt: ago(24 * 3_600_000) }), { action: 'canned' });
  assert.deepEqual(aiTurn({ ...exhausted, assigneeId: 'u1' }), { action: 'silent', reason: 'assigned' }, 'staff rules still come first');
});

test('reply credits: tokens × price per 1,000, rounded up to 4 places', () => {
  assert.equal(replyCredits({ promptTokens: 900, completionTokens: 100 }, 1), 1);
  assert.equal(replyCredits({ promptTokens: 1, completionTokens: 0 }, 1), 0.001);
  assert.equal(replyCredits({ promptTokens: 1, completionTokens: 0 }, 0.01), 0.0001, 'rounded up, never free');
  assert.equal(replyCredits({ promptTokens: 123, completionTokens: 45 }, 2.5), 0.42);
  assert.equal(replyCredits({ promptTokens: 0, completionTokens: 0 }, 5), 0);
  assert.throws(() => replyCredits({ promptTokens: -1, completionTokens: 0 }, 1), RangeError);
  assert.throws(() => replyCredits({ promptTokens: 1, completionTokens: 0 }, Number.NaN), RangeError);
});
