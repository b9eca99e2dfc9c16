/**
 * Settings > Communication > Quick Messages (capability messages.tier.manage):
 * add, edit, reorder and delete the reply snippets the composer offers. The
 * list follows live changes (the same event the composer listens to).
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { QuickMessage } from '../api/types';
import { createQuickMessage, deleteQuickMessage, reorderQuickMessages, updateQuickMessage } from './api';
import { useQuickMessages } from './useQuickMessages';

export function QuickMessagesSettings() {
  const { quickMessages, reload } = useQuickMessages();
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save. Check your connection and try again.');
    } finally {
      reload();
    }
  };
  const move = (index: number, by: -1 | 1) => {
    const ids = quickMessages.map((q) => q.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    void act(() => reorderQuickMessages(ids));
  };
  return (
    <section className="settings-card" aria-labelledby="quick-title">
      <h2 id="quick-title">Quick Messages</h2>
      <p className="card-note">Saved snippets staff can insert in the reply composer, in this order.</p>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {quickMessages.length === 0 ? <p className="muted">No quick messages yet.</p> : (
        <ol className="quick-list">
          {quickMessages.map((q, i) => (
            <QuickMessageItem key={q.id} q={q} first={i === 0} last={i === quickMessages.length - 1}
              onSave={(v) => act(() => updateQuickMessage(q.id, v))} onDelete={() => act(() => deleteQuickMessage(q.id))}
              onUp={() => move(i, -1)} onDown={() => move(i, 1)} />
          ))}
        </ol>
      )}
      <QuickMessageForm submitLabel="Add quick message" onSubmit={(v) => act(() => createQuickMessage(v))} />
    </section>
  );
}

type ItemProps = { q: QuickMessage; first: boolean; last: boolean; onSave(v: { title: string; body: string }): Promise<void>; onDelete(): void; onUp(): void; onDown(): void };

function QuickMessageItem({ q, first, last, onSave, onDelete, onUp, onDown }: ItemProps) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return <li><QuickMessageForm initial={q} submitLabel="Save" onCancel={() => setEditing(false)} onSubmit={async (v) => { await onSave(v); setEditing(false); }} /></li>;
  }
  return (
    <li className="quick-item" data-quick-message={q.title}>
      <div className="quick-text"><strong>{q.title}</strong><span className="muted">{q.body}</span></div>
      <div className="quick-actions">
        <button type="button" className="btn btn-small" onClick={onUp} disabled={first} aria-label={`Move ${q.title} up`}>↑</button>
        <button type="button" className="btn btn-small" onClick={onDown} disabled={last} aria-label={`Move ${q.title} down`}>↓</button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)} aria-label={`Edit ${q.title}`}>Edit</button>
        <button type="button" className="btn btn-small" onClick={() => { if (window.confirm(`Delete the quick message “${q.title}”?`)) onDelete(); }} aria-label={`Delete ${q.title}`}>Delete</button>
      </div>
    </li>
  );
}

function QuickMessageForm({ initial, submitLabel, onSubmit, onCancel }: { initial?: QuickMessage; submitLabel: string; onSubmit(v: { title: string; body: string }): Promise<void>; onCancel?(): void }) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !body.trim()) return;
    await onSubmit({ title: title.trim(), body: body.trim() });
    if (!initial) { setTitle(''); setBody(''); }
  };
  return (
    <form className="quick-form" onSubmit={submit} aria-label={initial ? `Edit ${initial.title}` : 'New quick message'}>
      <label className="field"><span>Title</span><input value={title} maxLength={80} required onChange={(e) => setTitle(e.target.value)} /></label>
      <label className="field"><span>Text</span><textarea rows={2} value={body} maxLength={1600} required onChange={(e) => setBody(e.target.value)} /></label>
      <div className="card-actions">
        <button type="submit" className="btn btn-primary">{submitLabel}</button>
        {onCancel ? <button type="button" className="btn" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}
