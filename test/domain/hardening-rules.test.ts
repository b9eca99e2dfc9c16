/** The pure rules of issue 10: role grants, the sign-in delay, our reasons for provider codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilitiesNotHeld, demotesOwner, roleEditRefusal, staffChangeRefusal } from '../../src/domain/role-grants.js';
import { failureDelayMs, MAX_DELAY_MS, waitLeftMs } from '../../src/domain/sign-in-delay.js';
import { providerFailureReason } from '../../src/domain/provider-failure.js';
import { DEFAULT_ROLES } from '../../src/auth/capabilities.js';
import { cleanDeep, cleanText } from '../../src/webhooks/text.js';

const owner = { key: 'owner', capabilities: DEFAULT_ROLES.owner.capabilities };
const manager = { key: 'manager', capabilities: DEFAULT_ROLES.manager.capabilities };
const tech = { key: 'technician', capabilities: DEFAULT_ROLES.technician.capabilities };
const caps = (r: { capabilities: readonly string[] }) => new Set(r.capabilities);

test('role grants: only what you hold; owners only with roles.manage; the last owner stays', () => {
  assert.deepEqual(capabilitiesNotHeld(caps(manager), owner.capabilities), ['roles.manage']);
  const change = (c: Partial<Parameters<typeof staffChangeRefusal>[1]>) => ({ current: tech, active: true, nextRole: null, disable: null, otherActiveOwners: 1, ...c });
  assert.equal(staffChangeRefusal(caps(manager), change({ nextRole: owner }))?.code, 'capability_not_held');
  assert.equal(staffChangeRefusal(caps(manager), change({ current: owner, disable: true }))?.code, 'capability_not_held');
  assert.equal(staffChangeRefusal(caps(manager), change({ nextRole: manager })), null);
  assert.equal(staffChangeRefusal(caps(tech), change({ current: manager, disable: true }))?.code, 'capability_not_held');
  assert.equal(staffChangeRefusal(caps(owner), change({ current: owner, nextRole: manager, otherActiveOwners: 0 }))?.code, 'last_owner');
  assert.equal(staffChangeRefusal(caps(owner), change({ current: owner, disable: true, otherActiveOwners: 1 })), null);
  assert.equal(staffChangeRefusal(caps(manager), change({})), null, 'no change, nothing to refuse');
  assert.equal(demotesOwner({ current: owner, active: false, nextRole: manager, disable: null }), false, 'a disabled owner is no owner');
  assert.equal(demotesOwner({ current: owner, active: true, nextRole: owner, disable: false }), false);
  assert.equal(roleEditRefusal(new Set(['roles.manage']), ['a', 'b'], ['a']), null, 'removing grants nothing');
  assert.equal(roleEditRefusal(new Set(['roles.manage']), ['a'], ['a', 'audit.view'])?.code, 'capability_not_held');
});

test('sign-in delay: none before the free failures, then doubling from 1 s, capped', () => {
  assert.deepEqual([4, 5, 6, 7, 15, 60].map((f) => failureDelayMs(f, 5)), [0, 1000, 2000, 4000, MAX_DELAY_MS, MAX_DELAY_MS]);
  const last = new Date('2026-01-01T10:00:00Z');
  assert.equal(waitLeftMs(6, 5, last, new Date('2026-01-01T10:00:01Z')), 1000);
  assert.equal(waitLeftMs(6, 5, last, new Date('2026-01-01T10:00:03Z')), 0);
  assert.equal(waitLeftMs(9, 5, null, last), 0);
});

test('our own reasons for provider codes never quote the provider text; unknown codes fall back', () => {
  assert.equal(providerFailureReason('twilio', '30003'), 'Unreachable destination handset');
  assert.equal(providerFailureReason('whatsapp', '131047'), 'More than 24 hours since the customer last replied (WhatsApp window closed)');
  assert.equal(providerFailureReason('whatsapp', '131051'), 'Unsupported message type');
  assert.equal(providerFailureReason('smtp', '552'), 'Mailbox full');
  assert.equal(providerFailureReason('twilio', '39999'), 'Delivery failed (Twilio error 39999)');
  assert.equal(providerFailureReason('smtp', null), 'Delivery failed (no error code given)');
});

test('text cleaning removes NUL and replaces unpaired surrogates, keys included; pairs survive', () => {
  assert.equal(cleanText('a\u0000b'), 'ab');
  assert.equal(cleanText('x\uD800y\uDC00z 😀'), 'x\uFFFDy\uFFFDz 😀');
  assert.deepEqual(cleanDeep({ 'k\u0000': ['v\u0000', 1, null, { n: '\uDBFF' }] }), { k: ['v', 1, null, { n: '\uFFFD' }] });
});
