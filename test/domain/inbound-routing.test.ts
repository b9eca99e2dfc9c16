import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeInbound } from '../../src/domain/inbound-routing.js';

test('unknown sender: unassigned with the Unknown badge, whatever the text', () => {
  assert.deepEqual(routeInbound(false, [], 'Can I book an MOT?'), { workOrderId: null, needsWorkOrderPick: false, contextBadge: 'unknown' });
});

test('exactly one active work order: auto-linked, no badge', () => {
  assert.deepEqual(routeInbound(true, ['wo-1'], 'hi'), { workOrderId: 'wo-1', needsWorkOrderPick: false, contextBadge: null });
});

test('several active work orders: flagged for staff to pick', () => {
  assert.deepEqual(routeInbound(true, ['wo-1', 'wo-2'], 'hi'), { workOrderId: null, needsWorkOrderPick: true, contextBadge: null });
});

test('known customer with no active work order: Booking when asking to book, else General', () => {
  for (const text of ['Can I book an MOT?', 'any availability next week', 'Need a service', 'appointment please']) {
    assert.equal(routeInbound(true, [], text).contextBadge, 'booking', text);
  }
  for (const text of ['Thanks!', 'Is my car ready?', 'bookkeeping question', '']) {
    assert.equal(routeInbound(true, [], text).contextBadge, 'general', text);
  }
});

test('the Booking keyword rule on real garage phrasings (replayed garage day), and what stays General', () => {
  for (const text of [
    'Can I book an MOT for next week?', 'Hi, do you do MOTs on Saturdays?', 'How much for a full service on a 2016 Golf?',
    'Got your number from a friend, can you look at my brakes? They squeal', 'My car failed its MOT elsewhere, can you quote for the advisories?',
    'Is there a courtesy car available tomorrow?', 'Could you fit me in on Friday?', 'Can I bring it in Thursday morning?',
    'Could you have a look at the clutch?', 'Yes, book it',
  ]) assert.equal(routeInbound(true, [], text).contextBadge, 'booking', text);
  for (const text of ['Is my car ready?', 'Thanks, see you then', 'What time do you close?', 'Do you take card?']) {
    assert.equal(routeInbound(true, [], text).contextBadge, 'general', text);
  }
});
