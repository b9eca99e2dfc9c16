import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BRIDGE_INTERVAL_MS, bridgeDecision, whatsAppSendPlan, type BridgeDecisionInput, type WhatsAppSendPlan } from '../../src/domain/bridge.js';
import type { WindowState } from '../../src/domain/whatsapp-window.js';

const now = new Date('2026-03-29T12:00:00Z');
const ok: BridgeDecisionInput = { customerPhone: '+447700900123', smsOptedOut: false, orgSmsNumber: '+441134960000', lastBridgeSentAt: null, now };
const ago = (ms: number) => new Date(now.getTime() - ms);

test('the bridge interval is 24 hours in milliseconds', () => {
  assert.equal(BRIDGE_INTERVAL_MS, 86_400_000);
});

test('the first bridge in a conversation is sent', () => {
  assert.deepEqual(bridgeDecision(ok), { action: 'send' });
});

test('one bridge per 24 hours: suppressed up to the last millisecond, allowed from exactly 24 hours', () => {
  const suppressed = { action: 'suppress', reason: 'window_expired_bridge_recently_sent' };
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(0) }), suppressed);
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(60_000) }), suppressed);
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(BRIDGE_INTERVAL_MS - 1) }), suppressed);
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(BRIDGE_INTERVAL_MS) }), { action: 'send' });
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(BRIDGE_INTERVAL_MS + 1) }), { action: 'send' });
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: ago(30 * BRIDGE_INTERVAL_MS) }), { action: 'send' });
});

test('24 hours is elapsed time, not the calendar: the night UK clocks go forward', () => {
  const sent = new Date('2026-03-29T00:30:00Z');
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: sent, now: new Date('2026-03-30T00:29:59.999Z') }).action, 'suppress');
  assert.deepEqual(bridgeDecision({ ...ok, lastBridgeSentAt: sent, now: new Date('2026-03-30T00:30:00Z') }).action, 'send');
});

test('a last bridge timestamp in the future (clock skew) suppresses', () => {
  assert.equal(bridgeDecision({ ...ok, lastBridgeSentAt: new Date(now.getTime() + 5_000) }).action, 'suppress');
});

test('no customer phone blocks the bridge', () => {
  for (const customerPhone of [null, '', '   ']) {
    assert.deepEqual(bridgeDecision({ ...ok, customerPhone }), { action: 'blocked', reason: 'window_expired_no_phone' }, JSON.stringify(customerPhone));
  }
});

test('an SMS opt-out blocks the bridge', () => {
  assert.deepEqual(bridgeDecision({ ...ok, smsOptedOut: true }), { action: 'blocked', reason: 'window_expired_sms_opted_out' });
});

test('an org without an SMS number cannot bridge', () => {
  for (const orgSmsNumber of [null, '']) {
    assert.deepEqual(bridgeDecision({ ...ok, orgSmsNumber }), { action: 'blocked', reason: 'window_expired_no_sms_number' });
  }
});

test('exhaustive precedence: no phone, then opt-out, then no SMS number, then dedup, then send', () => {
  for (const phone of [false, true]) {
    for (const smsOptedOut of [false, true]) {
      for (const smsNumber of [false, true]) {
        for (const recent of [false, true]) {
          const input: BridgeDecisionInput = {
            customerPhone: phone ? '+447700900123' : null,
            smsOptedOut,
            orgSmsNumber: smsNumber ? '+441134960000' : null,
            lastBridgeSentAt: recent ? ago(1000) : ago(BRIDGE_INTERVAL_MS),
            now,
          };
          const expected = !phone
            ? { action: 'blocked', reason: 'window_expired_no_phone' }
            : smsOptedOut
              ? { action: 'blocked', reason: 'window_expired_sms_opted_out' }
              : !smsNumber
                ? { action: 'blocked', reason: 'window_expired_no_sms_number' }
                : recent
                  ? { action: 'suppress', reason: 'window_expired_bridge_recently_sent' }
                  : { action: 'send' };
          assert.deepEqual(bridgeDecision(input), expected, JSON.stringify({ phone, smsOptedOut, smsNumber, recent }));
        }
      }
    }
  }
});

const WINDOWS: WindowState[] = ['open', 'expired', 'never_opened'];
const SENDERS = ['staff', 'ai', 'system'] as const;

test('templates are always sent, whatever the window, sender or AI credit', () => {
  for (const window of WINDOWS) {
    for (const sender of SENDERS) {
      for (const aiCreditExhausted of [false, true]) {
        assert.equal(whatsAppSendPlan({ kind: 'template', sender, window, aiCreditExhausted }), 'send', `${window} ${sender} ${aiCreditExhausted}`);
      }
    }
  }
});

test('free-form in an open window is sent by anyone, even the AI out of credit', () => {
  for (const sender of SENDERS) {
    for (const aiCreditExhausted of [false, true]) {
      assert.equal(whatsAppSendPlan({ kind: 'free_form', sender, window: 'open', aiCreditExhausted }), 'send');
    }
  }
});

test('free-form in a closed window: full table', () => {
  const expected: Record<(typeof SENDERS)[number], [credit: WhatsAppSendPlan, exhausted: WhatsAppSendPlan]> = {
    staff: ['bridge', 'bridge'],
    ai: ['bridge', 'suppress_ai'],
    system: ['reject_window_closed', 'reject_window_closed'],
  };
  for (const window of ['expired', 'never_opened'] as const) {
    for (const sender of SENDERS) {
      assert.equal(whatsAppSendPlan({ kind: 'free_form', sender, window, aiCreditExhausted: false }), expected[sender][0], `${window} ${sender}`);
      assert.equal(whatsAppSendPlan({ kind: 'free_form', sender, window, aiCreditExhausted: true }), expected[sender][1], `${window} ${sender} exhausted`);
    }
  }
});

test('an AI out of credit in a closed window sends nothing at all, not even a bridge', () => {
  assert.equal(whatsAppSendPlan({ kind: 'free_form', sender: 'ai', window: 'expired', aiCreditExhausted: true }), 'suppress_ai');
});

test('staff are bridged even when the AI is out of credit (the bridge is not an AI feature)', () => {
  assert.equal(whatsAppSendPlan({ kind: 'free_form', sender: 'staff', window: 'expired', aiCreditExhausted: true }), 'bridge');
});
