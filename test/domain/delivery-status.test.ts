import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromTwilioStatus, fromWhatsAppStatus, nextDeliveryStatus } from '../../src/domain/delivery-status.js';
import { providerFailureReason } from '../../src/domain/provider-failure.js';
const twilioFailureReason = (code: string | undefined) => providerFailureReason('twilio', code ?? null);
import type { DeliveryStatus } from '../../src/db/schema.js';

const ORDER: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read', 'failed'];

test('status only moves forward: every (current, incoming) pair', () => {
  for (const [i, current] of ORDER.entries()) {
    for (const [j, incoming] of ORDER.entries()) {
      assert.equal(nextDeliveryStatus(current, incoming), j > i ? incoming : current, `${current} + ${incoming}`);
    }
  }
});

test('failed is terminal: nothing moves a failed message', () => {
  for (const incoming of ORDER) assert.equal(nextDeliveryStatus('failed', incoming), 'failed');
});

test('the final status is the same whatever order callbacks arrive in', () => {
  const events: DeliveryStatus[] = ['sent', 'delivered', 'read'];
  const permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (const p of permutations) {
    const final = p.reduce<DeliveryStatus>((s, k) => nextDeliveryStatus(s, events[k]!), 'pending');
    assert.equal(final, 'read', `order ${p.join(',')}`);
  }
});

test('Twilio statuses map to ours', () => {
  const expected: Record<string, DeliveryStatus | null> = {
    queued: 'pending', accepted: 'pending', scheduled: 'pending', sending: 'pending', sent: 'sent',
    delivered: 'delivered', partially_delivered: 'delivered', read: 'read', failed: 'failed',
    undelivered: 'failed', canceled: 'failed', receiving: null, received: null, bogus: null,
  };
  for (const [twilio, ours] of Object.entries(expected)) assert.equal(fromTwilioStatus(twilio), ours, twilio);
});

test('WhatsApp statuses map to ours; played counts as read; deleted is not a delivery state', () => {
  assert.deepEqual(['sent', 'delivered', 'read', 'played', 'failed', 'deleted'].map(fromWhatsAppStatus), ['sent', 'delivered', 'read', 'read', 'failed', null]);
});

test('Twilio error codes get a human reason, unknown codes name the code', () => {
  assert.equal(twilioFailureReason('30003'), 'Unreachable destination handset');
  assert.equal(twilioFailureReason('21610'), 'Recipient has unsubscribed (replied STOP)');
  assert.equal(twilioFailureReason('39999'), 'Delivery failed (Twilio error 39999)');
  assert.equal(twilioFailureReason(undefined), 'Delivery failed (no error code given)');
});
