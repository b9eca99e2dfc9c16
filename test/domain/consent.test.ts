import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentGate, HARDCODED_CONSENT_DEFAULTS, initialConsents, type ConsentRule, type ConsentValues } from '../../src/domain/consent.js';
import type { MessageCategory } from '../../src/db/schema.js';
import type { OutboundChannel } from '../../src/domain/reply-channel.js';

const CHANNELS: OutboundChannel[] = ['sms', 'whatsapp', 'portal', 'email'];
const CATEGORIES: MessageCategory[] = ['transactional', 'service_reminders', 'marketing'];
const ALL_ON: ConsentValues = { transactional: true, service_reminders: true, marketing: true, whatsapp: true };

test('hard-coded defaults: transactional on, service reminders on, marketing off, WhatsApp on', () => {
  assert.deepEqual(HARDCODED_CONSENT_DEFAULTS, { transactional: true, service_reminders: true, marketing: false, whatsapp: true });
  assert.ok(Object.isFrozen(HARDCODED_CONSENT_DEFAULTS));
});

test('a customer created before the org saved defaults gets the hard-coded defaults', () => {
  assert.deepEqual(initialConsents(null), { values: { transactional: true, service_reminders: true, marketing: false, whatsapp: true }, source: 'hardcoded_default' });
});

test('org defaults apply as saved, every combination, and transactional is always on', () => {
  for (const serviceReminders of [false, true]) {
    for (const marketing of [false, true]) {
      for (const whatsapp of [false, true]) {
        assert.deepEqual(initialConsents({ serviceReminders, marketing, whatsapp }), {
          values: { transactional: true, service_reminders: serviceReminders, marketing, whatsapp },
          source: 'org_default',
        });
      }
    }
  }
});

test('initial consents are a fresh object: changing one never changes the defaults', () => {
  const first = initialConsents(null);
  first.values.marketing = true;
  assert.equal(initialConsents(null).values.marketing, false);
  assert.equal(HARDCODED_CONSENT_DEFAULTS.marketing, false);
});

/** Every rule the message breaks, judged independently; the gate reports the first in this precedence. */
function brokenRules(channel: OutboundChannel, category: MessageCategory, c: ConsentValues, activeWorkOrder: boolean, smsOptedOut: boolean): ConsentRule[] {
  const broken: ConsentRule[] = [];
  if (channel === 'whatsapp' && !c.whatsapp) broken.push('whatsapp_consent_revoked');
  if (channel === 'sms' && smsOptedOut) broken.push('sms_opted_out');
  if (category === 'marketing' && !c.marketing) broken.push('marketing_not_opted_in');
  if (category === 'service_reminders' && !c.service_reminders) broken.push('service_reminders_revoked');
  if (category === 'transactional' && !c.transactional && !activeWorkOrder) broken.push('transactional_revoked');
  return broken;
}

test('exhaustive: 4 channels × 3 categories × 16 consent states × work order × SMS opt-out', () => {
  let cases = 0;
  for (const channel of CHANNELS) {
    for (const category of CATEGORIES) {
      for (let bits = 0; bits < 16; bits++) {
        const consents: ConsentValues = { transactional: !!(bits & 1), service_reminders: !!(bits & 2), marketing: !!(bits & 4), whatsapp: !!(bits & 8) };
        for (const hasActiveWorkOrder of [false, true]) {
          for (const smsOptedOut of [false, true]) {
            const result = consentGate({ channel, category, consents, hasActiveWorkOrder, smsOptedOut });
            const [first] = brokenRules(channel, category, consents, hasActiveWorkOrder, smsOptedOut);
            const label = JSON.stringify({ channel, category, consents, hasActiveWorkOrder, smsOptedOut });
            if (first) {
              assert.equal(result.allowed, false, label);
              if (!result.allowed) {
                assert.equal(result.rule, first, label);
                assert.ok(result.reason.length > 20 && result.reason.endsWith('.'), label);
              }
            } else {
              assert.deepEqual(result, { allowed: true }, label);
            }
            cases++;
          }
        }
      }
    }
  }
  assert.equal(cases, 768);
});

test('WhatsApp off blocks every WhatsApp message, even a work order update on an active job', () => {
  for (const category of CATEGORIES) {
    const result = consentGate({ channel: 'whatsapp', category, consents: { ...ALL_ON, whatsapp: false }, hasActiveWorkOrder: true, smsOptedOut: false });
    assert.equal(result.allowed, false, category);
    assert.equal(!result.allowed && result.rule, 'whatsapp_consent_revoked', category);
  }
});

test('WhatsApp off does not affect SMS, portal or email', () => {
  for (const channel of ['sms', 'portal', 'email'] as const) {
    assert.deepEqual(consentGate({ channel, category: 'transactional', consents: { ...ALL_ON, whatsapp: false }, hasActiveWorkOrder: false, smsOptedOut: false }), { allowed: true }, channel);
  }
});

test('an SMS opt-out blocks every SMS, even transactional on an active job, and nothing else', () => {
  for (const category of CATEGORIES) {
    const sms = consentGate({ channel: 'sms', category, consents: ALL_ON, hasActiveWorkOrder: true, smsOptedOut: true });
    assert.equal(!sms.allowed && sms.rule, 'sms_opted_out', category);
    for (const channel of ['whatsapp', 'portal', 'email'] as const) {
      assert.deepEqual(consentGate({ channel, category, consents: ALL_ON, hasActiveWorkOrder: true, smsOptedOut: true }), { allowed: true }, `${channel} ${category}`);
    }
  }
});

test('marketing needs explicit opt-in on every channel, active work order or not', () => {
  for (const channel of CHANNELS) {
    for (const hasActiveWorkOrder of [false, true]) {
      const result = consentGate({ channel, category: 'marketing', consents: { ...ALL_ON, marketing: false }, hasActiveWorkOrder, smsOptedOut: false });
      assert.equal(!result.allowed && result.rule, 'marketing_not_opted_in', `${channel} ${hasActiveWorkOrder}`);
    }
  }
});

test('service reminders need their consent, active work order or not', () => {
  for (const hasActiveWorkOrder of [false, true]) {
    const result = consentGate({ channel: 'sms', category: 'service_reminders', consents: { ...ALL_ON, service_reminders: false }, hasActiveWorkOrder, smsOptedOut: false });
    assert.equal(!result.allowed && result.rule, 'service_reminders_revoked');
  }
});

test('transactional is always allowed on an active work order; without one it needs the transactional toggle', () => {
  const off = { ...ALL_ON, transactional: false };
  assert.deepEqual(consentGate({ channel: 'email', category: 'transactional', consents: off, hasActiveWorkOrder: true, smsOptedOut: false }), { allowed: true });
  const result = consentGate({ channel: 'email', category: 'transactional', consents: off, hasActiveWorkOrder: false, smsOptedOut: false });
  assert.equal(!result.allowed && result.rule, 'transactional_revoked');
});

test('the marketing opt-out never blocks a work order message (spec troubleshooting)', () => {
  const consents = { ...ALL_ON, marketing: false, service_reminders: false };
  assert.deepEqual(consentGate({ channel: 'whatsapp', category: 'transactional', consents, hasActiveWorkOrder: true, smsOptedOut: false }), { allowed: true });
});

test('channel rules come before category rules', () => {
  const nothing: ConsentValues = { transactional: false, service_reminders: false, marketing: false, whatsapp: false };
  const wa = consentGate({ channel: 'whatsapp', category: 'marketing', consents: nothing, hasActiveWorkOrder: false, smsOptedOut: true });
  assert.equal(!wa.allowed && wa.rule, 'whatsapp_consent_revoked');
  const sms = consentGate({ channel: 'sms', category: 'marketing', consents: nothing, hasActiveWorkOrder: false, smsOptedOut: true });
  assert.equal(!sms.allowed && sms.rule, 'sms_opted_out');
});

test('each rule has its own staff-facing sentence', () => {
  const nothing: ConsentValues = { transactional: false, service_reminders: false, marketing: false, whatsapp: false };
  const reasons = new Set<string>();
  const inputs = [
    { channel: 'whatsapp', category: 'transactional' },
    { channel: 'sms', category: 'transactional' },
    { channel: 'portal', category: 'marketing' },
    { channel: 'portal', category: 'service_reminders' },
    { channel: 'portal', category: 'transactional' },
  ] as const;
  for (const { channel, category } of inputs) {
    const result = consentGate({ channel, category, consents: nothing, hasActiveWorkOrder: false, smsOptedOut: true });
    assert.equal(result.allowed, false);
    if (!result.allowed) reasons.add(result.reason);
  }
  assert.equal(reasons.size, 5);
});
