import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultReplyChannel, REPLY_CHANNEL_FALLBACK, type OutboundChannel } from '../../src/domain/reply-channel.js';
import type { Channel } from '../../src/db/schema.js';

const ALL: OutboundChannel[] = ['sms', 'whatsapp', 'portal', 'email'];

test('replies default to the channel the customer last used', () => {
  for (const channel of ALL) assert.equal(defaultReplyChannel(channel, ALL), channel);
});

test('a voice conversation is answered by SMS', () => {
  assert.equal(defaultReplyChannel('voice', ALL), 'sms');
  assert.equal(defaultReplyChannel('voice', ['portal', 'sms']), 'sms');
});

test('the fallback order is WhatsApp, SMS, portal, email', () => {
  assert.deepEqual(REPLY_CHANNEL_FALLBACK, ['whatsapp', 'sms', 'portal', 'email']);
});

test('an unavailable last channel falls back in order, whatever order availability is listed in', () => {
  assert.equal(defaultReplyChannel('sms', ['email', 'portal', 'whatsapp']), 'whatsapp');
  assert.equal(defaultReplyChannel('whatsapp', ['email', 'sms', 'portal']), 'sms');
  assert.equal(defaultReplyChannel('email', ['portal', 'sms']), 'sms');
  assert.equal(defaultReplyChannel('whatsapp', ['email', 'portal']), 'portal');
  assert.equal(defaultReplyChannel('portal', ['email']), 'email');
  assert.equal(defaultReplyChannel('voice', ['email', 'portal', 'whatsapp']), 'whatsapp');
  assert.equal(defaultReplyChannel('voice', ['email']), 'email');
});

test('with no last channel the first available in fallback order is chosen', () => {
  assert.equal(defaultReplyChannel(null, ALL), 'whatsapp');
  assert.equal(defaultReplyChannel(null, ['email', 'portal']), 'portal');
});

test('nothing available gives null', () => {
  for (const last of [null, 'sms', 'whatsapp', 'portal', 'voice', 'email'] as const) assert.equal(defaultReplyChannel(last, []), null);
});

test('exhaustive: every last channel × every subset of available channels', () => {
  const lasts: Array<Channel | null> = [null, 'sms', 'whatsapp', 'portal', 'voice', 'email'];
  for (const last of lasts) {
    for (let mask = 0; mask < 16; mask++) {
      const available = ALL.filter((_, i) => mask & (1 << i));
      const preferred = last === 'voice' ? 'sms' : last;
      const expected = preferred && available.includes(preferred) ? preferred : (['whatsapp', 'sms', 'portal', 'email'] as const).find((c) => available.includes(c)) ?? null;
      const result = defaultReplyChannel(last, available);
      assert.equal(result, expected, `${last} / ${available.join(',')}`);
      if (result !== null) assert.ok(available.includes(result));
      assert.notEqual(result, 'voice');
    }
  }
});
