import '../support/no-network.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandboxAdapter, sandboxPlayback, SANDBOX_FAILING_SUFFIX } from '../../src/channels/sandbox/sandbox.adapter.js';

test('sandbox send accepts without calling anyone', async () => {
  const result = await createSandboxAdapter().send({ messageId: 'm', to: '+447700900123', body: 'Hi' });
  assert.match(result.providerMessageId, /^sandbox-[0-9a-f-]{36}$/);
  assert.equal(result.status, 'sent');
});

test('playback: SMS delivered at 2 s, WhatsApp delivered 1.5 s then read 6 s, email delivered 1 s', () => {
  assert.deepEqual(sandboxPlayback('sms', '+447700900123'), [{ afterMs: 2000, status: 'delivered' }]);
  assert.deepEqual(sandboxPlayback('whatsapp', '+447700900123'), [
    { afterMs: 1500, status: 'delivered' },
    { afterMs: 6000, status: 'read' },
  ]);
  assert.deepEqual(sandboxPlayback('email', 'sam@example.org'), [{ afterMs: 1000, status: 'delivered' }]);
});

test(`playback: recipients ending in ${SANDBOX_FAILING_SUFFIX} fail deterministically on SMS (30003) and WhatsApp (131026)`, () => {
  assert.deepEqual(sandboxPlayback('sms', '+447700900999'), [
    { afterMs: 2000, status: 'failed', errorCode: '30003', reason: 'Unreachable destination handset' },
  ]);
  assert.deepEqual(sandboxPlayback('whatsapp', '+447700900999'), [
    { afterMs: 1500, status: 'failed', errorCode: '131026', reason: 'Message undeliverable' },
  ]);
  assert.deepEqual(sandboxPlayback('sms', '+447700900999'), sandboxPlayback('sms', '+447700900999'), 'same input, same schedule');
});

test('playback events are in time order', () => {
  for (const channel of ['sms', 'whatsapp', 'email'] as const) {
    for (const to of ['+447700900123', '+447700900999', 'a@b.example']) {
      const times = sandboxPlayback(channel, to).map((e) => e.afterMs);
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
    }
  }
});
