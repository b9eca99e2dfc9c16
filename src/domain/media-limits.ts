/**
 * What each channel accepts as attachments to a staff reply (pure rule).
 * Sources: provider-protocols.md §11b — Twilio outbound MMS: up to 10
 * `MediaUrl`s, 5 MB in total; WhatsApp Cloud API images: JPEG/PNG ≤ 5 MB
 * each (one image per message, the text as its caption);
 * portal-messages.txt — portal attachments: photos, JPG/PNG, up to 5 per
 * message. Email replies carry no attachments here.
 */
export type AttachmentChannel = 'sms' | 'whatsapp' | 'portal' | 'email';

export type Attachment = { contentType: string; size: number };

export type ChannelMediaLimit = {
  maxItems: number;
  /** Largest single item, bytes. */
  maxItemBytes: number;
  /** Largest sum of items, bytes. */
  maxTotalBytes: number;
  contentTypes: readonly string[];
};

const MB = 1024 * 1024;
const PHOTOS = ['image/jpeg', 'image/png'] as const;

export const CHANNEL_MEDIA_LIMITS: Record<AttachmentChannel, ChannelMediaLimit> = {
  sms: { maxItems: 10, maxItemBytes: 5 * MB, maxTotalBytes: 5 * MB, contentTypes: [...PHOTOS, 'image/gif'] },
  whatsapp: { maxItems: 1, maxItemBytes: 5 * MB, maxTotalBytes: 5 * MB, contentTypes: PHOTOS },
  portal: { maxItems: 5, maxItemBytes: 20 * MB, maxTotalBytes: 100 * MB, contentTypes: PHOTOS },
  email: { maxItems: 0, maxItemBytes: 0, maxTotalBytes: 0, contentTypes: [] },
};

export type AttachmentProblem = {
  code: 'attachments_not_supported' | 'too_many_attachments' | 'attachment_too_large' | 'attachment_type_not_allowed';
  message: string;
};

const LABEL: Record<AttachmentChannel, string> = { sms: 'SMS/MMS', whatsapp: 'WhatsApp', portal: 'portal', email: 'email' };

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB`;
}

/**
 * Whether `items` may go with a reply on `channel`.
 * @returns null when they may, else the first problem with a human message
 */
export function attachmentProblem(channel: AttachmentChannel, items: readonly Attachment[]): AttachmentProblem | null {
  if (items.length === 0) return null;
  const limit = CHANNEL_MEDIA_LIMITS[channel];
  const label = LABEL[channel];
  if (limit.maxItems === 0) return { code: 'attachments_not_supported', message: `Photos cannot be sent by ${label}.` };
  if (items.length > limit.maxItems) {
    return { code: 'too_many_attachments', message: `A ${label} message can carry at most ${limit.maxItems} photo${limit.maxItems === 1 ? '' : 's'}; this one has ${items.length}.` };
  }
  const wrongType = items.find((i) => !limit.contentTypes.includes(i.contentType));
  if (wrongType) return { code: 'attachment_type_not_allowed', message: `${label} cannot send ${wrongType.contentType} files.` };
  const big = items.find((i) => i.size > limit.maxItemBytes);
  if (big) return { code: 'attachment_too_large', message: `${label} photos can be at most ${mb(limit.maxItemBytes)} each; one is ${mb(big.size)}.` };
  const total = items.reduce((s, i) => s + i.size, 0);
  if (total > limit.maxTotalBytes) return { code: 'attachment_too_large', message: `${label} allows ${mb(limit.maxTotalBytes)} of photos in all; these are ${mb(total)}.` };
  return null;
}
