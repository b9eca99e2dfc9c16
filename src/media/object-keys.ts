/**
 * Where a media object's bytes live in the store: `org/{orgId}/media/{mediaId}/original`
 * and, for images, `…/thumbnail` (always JPEG).
 */
import { mediaKey } from './store.js';

export function originalKey(orgId: string, mediaId: string): string {
  return mediaKey(orgId, 'media', mediaId, 'original');
}

export function thumbnailKey(orgId: string, mediaId: string): string {
  return mediaKey(orgId, 'media', mediaId, 'thumbnail');
}
