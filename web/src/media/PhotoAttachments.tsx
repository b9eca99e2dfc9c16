/**
 * Photos attached to a staff reply: pick (JPG/PNG/HEIC), downscale, upload
 * to `POST /v1/conversations/{id}/attachments` (the server checks by content
 * and cleans), show as removable thumbnails, and hand their ids to the send.
 * Per-file errors come from the server's messages; the channel's limits
 * (count, size) are checked when sending.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, post } from '../api/client';
import type { MediaItem } from '../api/types';
import { downscaleForUpload, toBase64 } from './downscale';
import './media.css';

export type PhotoAttachments = {
  items: MediaItem[];
  uploading: number;
  error: string | null;
  add(files: FileList | File[]): Promise<void>;
  remove(mediaId: string): void;
  clear(): void;
};

export function usePhotoAttachments(conversationId: string): PhotoAttachments {
  const [items, setItems] = useState<MediaItem[]>([]);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const add = useCallback(async (files: FileList | File[]) => {
    setError(null);
    const errors: string[] = [];
    await Promise.all([...files].map(async (file) => {
      setUploading((n) => n + 1);
      try {
        const contentBase64 = await toBase64(await downscaleForUpload(file));
        const item = await post<MediaItem>(`/v1/conversations/${conversationId}/attachments`, { filename: file.name, contentBase64 });
        setItems((list) => [...list, item]);
      } catch (err) {
        errors.push(`${file.name}: ${err instanceof ApiError ? err.message : 'could not upload'}`);
      } finally {
        setUploading((n) => n - 1);
      }
    }));
    if (errors.length) setError(errors.join(' '));
  }, [conversationId]);
  const remove = useCallback((id: string) => setItems((list) => list.filter((i) => i.mediaId !== id)), []);
  const clear = useCallback(() => { setItems([]); setError(null); }, []);
  return { items, uploading, error, add, remove, clear };
}

/** The "Add photos" button (a labelled file input). */
export function AttachPhotosButton({ photos, disabled }: { photos: PhotoAttachments; disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <label className={`btn btn-small photo-attach${disabled ? ' disabled' : ''}`}>
      {photos.uploading ? 'Uploading…' : 'Add photos'}
      <input ref={input} type="file" accept="image/jpeg,image/png,image/heic,image/heif" multiple disabled={disabled}
        aria-label="Add photos"
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : [];
          if (input.current) input.current.value = '';
          if (files.length) void photos.add(files);
        }} />
    </label>
  );
}

/** Thumbnails of the photos about to be sent, each removable, and upload errors. */
export function AttachedPhotos({ photos }: { photos: PhotoAttachments }) {
  if (photos.items.length === 0 && !photos.error) return null;
  return (
    <>
      {photos.items.length ? (
        <ul className="photo-chips" aria-label="Photos to send">
          {photos.items.map((p) => (
            <li key={p.mediaId}>
              <img src={`/v1/media/${p.mediaId}/thumbnail`} alt={p.filename ?? 'Photo'} />
              <button type="button" aria-label={`Remove ${p.filename ?? 'photo'}`} onClick={() => photos.remove(p.mediaId!)}>×</button>
            </li>
          ))}
        </ul>
      ) : null}
      {photos.error ? <p className="composer-notice error" role="alert">{photos.error}</p> : null}
    </>
  );
}
