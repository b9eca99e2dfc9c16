import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { attachmentProblem, CHANNEL_MEDIA_LIMITS, type AttachmentChannel } from '../../src/domain/media-limits.js';

const MB = 1024 * 1024;
const jpeg = (size: number) => ({ contentType: 'image/jpeg', size });

test('no attachments is always fine, email included', () => {
  for (const c of ['sms', 'whatsapp', 'portal', 'email'] as const) assert.equal(attachmentProblem(c, []), null);
});

test('WhatsApp: one JPEG/PNG image up to 5 MB', () => {
  assert.equal(attachmentProblem('whatsapp', [jpeg(5 * MB)]), null);
  assert.equal(attachmentProblem('whatsapp', [jpeg(5 * MB + 1)])?.code, 'attachment_too_large');
  assert.match(attachmentProblem('whatsapp', [jpeg(6 * MB)])!.message, /at most 5 MB each; one is 6 MB/);
  assert.equal(attachmentProblem('whatsapp', [jpeg(1), jpeg(1)])?.code, 'too_many_attachments');
  assert.equal(attachmentProblem('whatsapp', [{ contentType: 'image/gif', size: 10 }])?.code, 'attachment_type_not_allowed');
});

test('SMS/MMS: up to 10 items, 5 MB in total', () => {
  assert.equal(attachmentProblem('sms', Array.from({ length: 10 }, () => jpeg(MB / 2))), null);
  assert.equal(attachmentProblem('sms', Array.from({ length: 11 }, () => jpeg(10)))?.code, 'too_many_attachments');
  const total = attachmentProblem('sms', [jpeg(3 * MB), jpeg(3 * MB)]);
  assert.equal(total?.code, 'attachment_too_large');
  assert.match(total!.message, /5 MB of photos in all; these are 6 MB/);
});

test('portal: up to 5 photos (portal-messages.txt), JPG/PNG only', () => {
  assert.equal(attachmentProblem('portal', Array.from({ length: 5 }, () => jpeg(4 * MB))), null);
  assert.equal(attachmentProblem('portal', Array.from({ length: 6 }, () => jpeg(10)))?.code, 'too_many_attachments');
  assert.equal(attachmentProblem('portal', [{ contentType: 'application/pdf', size: 10 }])?.code, 'attachment_type_not_allowed');
});

test('email carries no attachments', () => {
  assert.equal(attachmentProblem('email', [jpeg(10)])?.code, 'attachments_not_supported');
});

test('property: accepted sets always respect every limit of their channel', () => {
  const channel = fc.constantFrom<AttachmentChannel>('sms', 'whatsapp', 'portal', 'email');
  const item = fc.record({ contentType: fc.constantFrom('image/jpeg', 'image/png', 'image/gif', 'application/pdf'), size: fc.integer({ min: 0, max: 25 * MB }) });
  fc.assert(fc.property(channel, fc.array(item, { maxLength: 12 }), (c, items) => {
    const limit = CHANNEL_MEDIA_LIMITS[c];
    const ok = attachmentProblem(c, items) === null;
    const within = items.length <= limit.maxItems && items.every((i) => limit.contentTypes.includes(i.contentType) && i.size <= limit.maxItemBytes)
      && items.reduce((s, i) => s + i.size, 0) <= limit.maxTotalBytes;
    assert.equal(ok, items.length === 0 || within);
  }));
});
