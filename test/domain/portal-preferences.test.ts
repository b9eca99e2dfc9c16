import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portalPreferences, WORK_ORDER_LOCK_REASON } from '../../src/domain/portal-preferences.js';

const ALL_OFF = { transactional: false, service_reminders: false, marketing: false, whatsapp: false };

test("the four toggles carry the spec's labels, in order, with the stored values", () => {
  const prefs = portalPreferences({ ...ALL_OFF, marketing: true }, false);
  assert.deepEqual(prefs.map((p) => p.label), ['Work order updates', 'Service & MOT reminders', 'Offers & promotions', 'WhatsApp messages']);
  assert.deepEqual(prefs.map((p) => p.granted), [false, false, true, false]);
  assert.ok(prefs.every((p) => !p.locked && p.lockedReason === null));
});

test('Work order updates is locked on, with the reason, while a work order is active; nothing else is', () => {
  const prefs = portalPreferences(ALL_OFF, true);
  assert.deepEqual(prefs[0], { category: 'transactional', label: 'Work order updates', granted: true, locked: true, lockedReason: WORK_ORDER_LOCK_REASON });
  assert.ok(prefs.slice(1).every((p) => !p.locked && !p.granted));
});
