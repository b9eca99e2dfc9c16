/**
 * The photos of an outbound message as the provider must fetch them:
 * short-lived signed URLs (`signed-url.ts`) for each stored item.
 */
import type { Config } from '../config.js';
import type { MediaItem, Message } from '../db/schema.js';
import { signedMediaUrl } from './signed-url.js';

export function outboundMedia(config: Config, message: Pick<Message, 'org_id' | 'media'>): { media?: Array<{ url: string; contentType: string }> } {
  const items = (message.media as MediaItem[]).filter((m) => m.mediaId && m.state === 'stored');
  if (items.length === 0) return {};
  return { media: items.map((m) => ({ url: signedMediaUrl(config, message.org_id, m.mediaId!), contentType: m.contentType })) };
}
