import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromWhatsAppId, parseTwilioAddress, toE164 } from '../../src/domain/phone.js';

test('UK numbers typed any common way normalise to one E.164 value', () => {
  for (const typed of ['07700 900123', '07700900123', '+44 7700 900123', '+447700900123', '0044 7700 900123', '(07700) 900 123']) {
    assert.equal(toE164(typed), '+447700900123', typed);
  }
});

test('international numbers keep their country', () => {
  assert.equal(toE164('+1 415 555 0123'), '+14155550123');
  assert.equal(toE164('+353 85 123 4567'), '+353851234567');
});

test('things that are not phone numbers are rejected', () => {
  for (const bad of ['', '   ', 'hello', '123', '+44']) assert.equal(toE164(bad), null, JSON.stringify(bad));
});

test('WhatsApp ids are digits without +', () => {
  assert.equal(fromWhatsAppId('447700900123'), '+447700900123');
  assert.equal(fromWhatsAppId('16505551234'), '+16505551234');
  assert.equal(fromWhatsAppId('+447700900123'), null);
  assert.equal(fromWhatsAppId('0447700900123'), null);
  assert.equal(fromWhatsAppId('abc'), null);
});

test('Twilio addresses carry their channel', () => {
  assert.deepEqual(parseTwilioAddress('+447700900123'), { channel: 'sms', e164: '+447700900123' });
  assert.deepEqual(parseTwilioAddress('whatsapp:+447700900123'), { channel: 'whatsapp', e164: '+447700900123' });
  assert.deepEqual(parseTwilioAddress('nonsense'), { channel: 'sms', e164: null });
});
