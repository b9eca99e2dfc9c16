import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WHATSAPP_WINDOW_MS, windowExpiresAt, windowState } from '../../src/domain/whatsapp-window.js';

const sentAt = new Date('2026-03-29T00:30:00Z'); // the night UK clocks go forward: 24 h is still 24 h

test('the window closes exactly 24 hours after the customer message', () => {
  assert.equal(windowExpiresAt(sentAt).toISOString(), '2026-03-30T00:30:00.000Z');
  assert.equal(WHATSAPP_WINDOW_MS, 86_400_000);
});

test('open up to the last millisecond, expired from the 24-hour mark', () => {
  const expires = windowExpiresAt(sentAt);
  assert.equal(windowState(expires, new Date(expires.getTime() - 1)), 'open');
  assert.equal(windowState(expires, expires), 'expired');
  assert.equal(windowState(expires, new Date(expires.getTime() + 1)), 'expired');
  assert.equal(windowState(expires, sentAt), 'open');
});

test('a conversation whose customer never used WhatsApp has no window', () => {
  assert.equal(windowState(null, new Date()), 'never_opened');
});
