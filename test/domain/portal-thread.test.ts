import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { channelLabel, customerMaySee, customerReceipt, portalEventFor, portalSenderName } from '../../src/domain/portal-thread.js';
import type { EntryChannel, EntryDirection, MessageStatus } from '../../src/db/schema.js';

const DIRECTIONS: EntryDirection[] = ['inbound', 'outbound', 'internal'];
const STATUSES: (MessageStatus | null)[] = [null, 'pending', 'sent', 'delivered', 'read', 'failed', 'pending_approval', 'rejected'];
const CHANNELS: EntryChannel[] = ['sms', 'whatsapp', 'portal', 'voice', 'email', 'internal'];

test('internal notes and drafts awaiting or refused approval never reach the customer; everything else does', () => {
  for (const direction of DIRECTIONS) for (const status of STATUSES) {
    const expected = direction !== 'internal' && status !== 'pending_approval' && status !== 'rejected';
    assert.equal(customerMaySee({ direction, status }), expected, `${direction} ${status}`);
  }
});

test('sender names: You, the staff member, AI receptionist, else the garage', () => {
  assert.equal(portalSenderName({ direction: 'inbound', aiGenerated: false, senderUserName: null }, 'Acme Motors'), 'You');
  assert.equal(portalSenderName({ direction: 'outbound', aiGenerated: false, senderUserName: 'Sarah Mitchell' }, 'Acme Motors'), 'Sarah Mitchell');
  assert.equal(portalSenderName({ direction: 'outbound', aiGenerated: true, senderUserName: null }, 'Acme Motors'), 'AI receptionist');
  assert.equal(portalSenderName({ direction: 'outbound', aiGenerated: false, senderUserName: null }, 'Acme Motors'), 'Acme Motors');
});

test('channel labels as the customer reads them', () => {
  assert.deepEqual(CHANNELS.map(channelLabel), ['SMS', 'WhatsApp', 'Portal', 'Call', 'Email', 'Note']);
});

test('receipts are honest per channel: read only where the channel reports it (portal, WhatsApp)', () => {
  const out = (channel: EntryChannel, status: MessageStatus | null) => customerReceipt({ direction: 'outbound', channel, status, readAt: null });
  assert.equal(out('portal', 'read'), 'read');
  assert.equal(out('whatsapp', 'read'), 'read');
  assert.equal(out('sms', 'read'), 'delivered', 'SMS has no read state');
  assert.equal(out('email', 'read'), 'delivered');
  assert.equal(out('sms', 'failed'), 'failed');
  assert.equal(out('portal', 'delivered'), 'delivered');
  assert.equal(out('sms', 'sent'), 'sent');
  assert.equal(out('sms', 'pending'), 'sending');
  const mine = (readAt: Date | null) => customerReceipt({ direction: 'inbound', channel: 'portal', status: null, readAt });
  assert.equal(mine(null), 'delivered');
  assert.equal(mine(new Date()), 'read');
});

test('the portal stream forwards only events of messages the customer may see, and the garage reading the thread', () => {
  fc.assert(fc.property(fc.constantFrom(...DIRECTIONS), fc.constantFrom(...STATUSES), fc.constantFrom('message.created', 'message.status', 'approval.requested', 'approval.decided', 'conversation.assigned', 'conversation.work_order'), (direction, status, type) => {
    const event = portalEventFor(type, { id: 'm1', direction, status, body: 'secret note', failureReason: 'x' });
    const expected = (type === 'message.created' || type === 'message.status') && customerMaySee({ direction, status });
    assert.deepEqual(event, expected ? { type, messageId: 'm1' } : null);
  }));
  assert.deepEqual(portalEventFor('conversation.read', { readByUserId: 'u1', markedRead: 2 }), { type: 'conversation.read' });
});
