/**
 * A message's photos and files in the thread: thumbnails (tap to view full
 * size in a dialog), "Photo unavailable" when the provider no longer had it,
 * "Downloading photo…" while the download job runs, and a link for stored
 * non-image files. Media is served only through the authenticated
 * `/v1/media/{id}` URLs (never the provider's).
 */
import { useState } from 'react';
import type { MediaItem } from '../api/types';
import { Dialog } from '../shell/Dialog';
import './media.css';

const isImage = (m: MediaItem) => m.contentType.startsWith('image/');
const noun = (m: MediaItem) => (isImage(m) ? 'Photo' : 'File');

export function MessageMedia({ media }: { media: MediaItem[] }) {
  const [open, setOpen] = useState<MediaItem | null>(null);
  if (media.length === 0) return null;
  return (
    <>
      <ul className="media-grid" aria-label="Attachments">
        {media.map((m, i) => (
          <li key={m.mediaId ?? i}>
            <MediaTile item={m} onOpen={() => setOpen(m)} />
            {m.caption ? <p className="media-caption">{m.caption}</p> : null}
          </li>
        ))}
      </ul>
      <Dialog open={open !== null} title={open?.filename ?? open?.caption ?? 'Photo'} onClose={() => setOpen(null)} className="media-viewer">
        {open?.mediaId ? <img src={`/v1/media/${open.mediaId}`} alt={open.caption ?? 'Photo from the conversation'} /> : null}
        <div className="dialog-actions">
          {open?.mediaId ? <a className="btn" href={`/v1/media/${open.mediaId}`} target="_blank" rel="noreferrer">Open original</a> : null}
          <button type="button" className="btn btn-primary" onClick={() => setOpen(null)}>Close</button>
        </div>
      </Dialog>
    </>
  );
}

function MediaTile({ item, onOpen }: { item: MediaItem; onOpen(): void }) {
  if (item.state === 'unavailable') return <p className="media-tile media-unavailable" role="note">{noun(item)} unavailable</p>;
  if (item.state === 'pending') return <p className="media-tile media-pending" aria-busy="true">Downloading {noun(item).toLowerCase()}…</p>;
  if (item.state !== 'stored' || !item.mediaId) {
    // Stored before media downloads existed: nothing we can show.
    return <p className="media-tile media-unavailable" role="note">{noun(item)} unavailable</p>;
  }
  if (isImage(item) && item.thumbnail) {
    return (
      <button type="button" className="media-tile media-thumb" onClick={onOpen} aria-label={`View ${item.filename ?? 'photo'} full size`}>
        <img src={`/v1/media/${item.mediaId}/thumbnail`} alt={item.caption ?? 'Photo'} loading="lazy"
          width={item.width && item.height ? Math.round((160 * item.width) / Math.max(item.width, item.height)) : undefined}
          height={item.width && item.height ? Math.round((160 * item.height) / Math.max(item.width, item.height)) : undefined} />
      </button>
    );
  }
  return <a className="media-tile media-file" href={`/v1/media/${item.mediaId}`} target="_blank" rel="noreferrer">{item.filename ?? item.contentType}</a>;
}
