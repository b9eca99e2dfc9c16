/** A message body with its web links clickable (opened in a new tab, no referrer); see ../lib/links.ts. */
import { linkSegments } from '../lib/links';

export function LinkedText({ body, className }: { body: string; className: string }) {
  return (
    <p className={className}>
      {linkSegments(body).map((s, i) => (s.kind === 'link'
        ? <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">{s.text}</a>
        : <span key={i}>{s.text}</span>))}
    </p>
  );
}
