/** Photo thumbnails of a message; each opens the full-size photo. Unavailable photos say so. */
export type Photo = { thumbnailUrl: string | null; url: string | null; state: string };

export function Thumbnails({ photos }: { photos: Photo[] }) {
  if (photos.length === 0) return null;
  return (
    <ul className="thumbs" aria-label={`${photos.length} photo${photos.length === 1 ? '' : 's'}`}>
      {photos.map((p, i) => (
        <li key={i}>
          {p.url && p.thumbnailUrl
            ? <a href={p.url} target="_blank" rel="noopener"><img src={p.thumbnailUrl} alt={`Photo ${i + 1}`} loading="lazy" width={96} height={96} /></a>
            : <span className="thumb-missing">{p.state === 'pending' ? 'Photo loading…' : 'Photo unavailable'}</span>}
        </li>
      ))}
    </ul>
  );
}
