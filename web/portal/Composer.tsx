/**
 * Writing to the garage: text and up to 5 JPG/PNG photos (portal-messages.txt).
 * The server checks every photo by content and size; its refusals are shown
 * per file and nothing is sent until they are removed.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, type PortalMessage } from './api';

const MAX_PHOTOS = 5;

export function Composer({ onSent }: { onSent(m: PortalMessage): void }) {
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const clientKey = useRef(crypto.randomUUID());
  const previews = useMemo(() => photos.map((p) => URL.createObjectURL(p)), [photos]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);

  const add = (files: FileList | null) => {
    if (!files) return;
    const chosen = [...files];
    const room = MAX_PHOTOS - photos.length;
    const refused = chosen.slice(Math.max(room, 0)).map((f) => `${f.name}: you can attach up to ${MAX_PHOTOS} photos per message.`);
    setPhotos([...photos, ...chosen.slice(0, Math.max(room, 0))]);
    setErrors(refused);
    if (picker.current) picker.current.value = '';
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() && photos.length === 0) return;
    setSending(true);
    setErrors([]);
    try {
      onSent(await api.send(text, photos, clientKey.current));
      setText('');
      setPhotos([]);
      clientKey.current = crypto.randomUUID();
    } catch (err) {
      setErrors(err instanceof ApiError && err.files.length ? err.files.map((f) => f.message) : [err instanceof Error ? err.message : 'Could not send. Try again.']);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Write a message">
      {photos.length ? (
        <ul className="picked" aria-label="Photos to send">
          {photos.map((p, i) => (
            <li key={`${p.name}-${i}`}>
              <img src={previews[i]} alt={p.name} width={64} height={64} />
              <button type="button" className="remove" aria-label={`Remove ${p.name}`} onClick={() => setPhotos(photos.filter((_, j) => j !== i))}>×</button>
            </li>
          ))}
        </ul>
      ) : null}
      {errors.length ? <ul className="errors" role="alert">{errors.map((e, i) => <li key={i}>{e}</li>)}</ul> : null}
      <div className="compose-row">
        <label className="attach" title="Add photos">
          <input ref={picker} type="file" accept="image/jpeg,image/png,image/heic,image/heif" multiple onChange={(e) => add(e.target.files)} aria-label="Add photos" />
          <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
            <path d="M4 8h3l2-3h6l2 3h3v11H4z" /><circle cx="12" cy="13" r="3.5" />
          </svg>
        </label>
        <label className="visually-hidden" htmlFor="portal-message">Message</label>
        <textarea id="portal-message" rows={1} placeholder="Write a message…" value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="send" disabled={sending || (!text.trim() && photos.length === 0)}>{sending ? 'Sending…' : 'Send'}</button>
      </div>
      <p className="hint">Up to {MAX_PHOTOS} photos (JPG or PNG) per message.</p>
    </form>
  );
}
