/**
 * Settings › Communication › Templates (capability messages.tier.manage):
 * the garage's WhatsApp templates with Meta's review status (pending,
 * approved, rejected with the reason, paused), a form to create one with
 * {placeholder} fields, an example per placeholder and a live preview,
 * submitted to Meta for review, and "Sync with Meta". Refreshes on the
 * `settings.templates` event (status webhook, another user's change).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useInboxEvents } from '../hooks/useEventStream';
import { templatePlaceholders } from '../../../src/domain/templates.js';
import { createTemplate, fetchTemplates, syncTemplates, type NewTemplate, type TemplateRow } from './api';

const STATUS_LABEL: Record<TemplateRow['status'], string> = { pending: 'Pending review', approved: 'Approved', rejected: 'Rejected', paused: 'Paused' };
const label = (placeholder: string) => placeholder.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
const preview = (body: string, values: Record<string, string>) => body.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] || whole);

export function TemplatesSettings() {
  const [templates, setTemplates] = useState<TemplateRow[] | null>(null);
  const [note, setNote] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const reload = useCallback(() => { fetchTemplates().then(setTemplates, () => setNote({ tone: 'error', text: 'Could not load the templates.' })); }, []);
  useEffect(reload, [reload]);
  useInboxEvents((e) => { if (e.type === 'settings.templates') reload(); }, reload);
  const sync = async () => {
    setNote(null);
    try {
      const r = await syncTemplates();
      setNote({ tone: 'info', text: r.changed ? `${r.changed} template${r.changed === 1 ? '' : 's'} updated from Meta.` : 'Every status is up to date.' });
      reload();
    } catch (err) {
      setNote({ tone: 'error', text: err instanceof ApiError ? err.message : 'Could not reach Meta.' });
    }
  };
  return (
    <div className="settings-cards">
      <section className="settings-card" aria-labelledby="templates-title">
        <h2 id="templates-title">WhatsApp templates</h2>
        <p className="card-note">Outside the 24-hour window only templates Meta has approved can be sent. Approval usually takes a few hours to a few days.</p>
        <div className="card-actions"><button type="button" className="btn" onClick={sync}>Sync with Meta</button></div>
        {note ? <p className={note.tone === 'error' ? 'field-error' : 'save-ok'} role={note.tone === 'error' ? 'alert' : 'status'}>{note.text}</p> : null}
        {templates === null ? <p className="muted">Loading…</p> : templates.length === 0 ? <p className="muted">No templates yet.</p> : (
          <table className="settings-table">
            <thead><tr><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Language</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id} data-template={t.name}>
                  <td><strong>{t.name}</strong><span className="template-body muted">{t.body}</span></td>
                  <td>{t.category.toLowerCase()}</td>
                  <td>{t.language}</td>
                  <td><span className={`template-status status-${t.status}`}>{STATUS_LABEL[t.status]}</span>
                    {t.status === 'rejected' && t.rejectionReason ? <span className="template-reason">Reason: {t.rejectionReason}</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewTemplateForm onCreated={reload} />
    </div>
  );
}

function NewTemplateForm({ onCreated }: { onCreated(): void }) {
  const [t, setT] = useState<Omit<NewTemplate, 'examples'>>({ name: '', language: 'en_GB', category: 'UTILITY', body: '' });
  const [examples, setExamples] = useState<Record<string, string>>({});
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: string | null }>({ busy: false, error: null, done: null });
  const placeholders = templatePlaceholders(t.body);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState({ busy: true, error: null, done: null });
    try {
      const created = await createTemplate({ ...t, examples: Object.fromEntries(placeholders.map((p) => [p, examples[p] ?? ''])) });
      setState({ busy: false, error: null, done: `“${created.name}” was submitted: ${STATUS_LABEL[created.status].toLowerCase()}.` });
      setT({ ...t, name: '', body: '' });
      setExamples({});
      onCreated();
    } catch (err) {
      setState({ busy: false, error: err instanceof ApiError ? err.message : 'Could not submit the template.', done: null });
    }
  };
  return (
    <form className="settings-card" aria-labelledby="new-template-title" onSubmit={submit}>
      <h2 id="new-template-title">New template</h2>
      <label className="field"><span>Name</span>
        <input value={t.name} required pattern="[a-z0-9_]+" placeholder="vehicle_ready" onChange={(e) => setT({ ...t, name: e.target.value })} />
        <span className="toggle-hint">Lowercase letters, digits and underscores.</span></label>
      <div className="field-row">
        <label className="field"><span>Category</span>
          <select value={t.category} onChange={(e) => setT({ ...t, category: e.target.value as NewTemplate['category'] })}>
            <option value="UTILITY">Utility (work order updates)</option><option value="MARKETING">Marketing</option><option value="AUTHENTICATION">Authentication</option>
          </select></label>
        <label className="field"><span>Language</span><input value={t.language} required onChange={(e) => setT({ ...t, language: e.target.value })} /></label>
      </div>
      <label className="field"><span>Body</span>
        <textarea rows={3} required maxLength={1024} value={t.body} placeholder="Hi {customer_name}, your {vehicle} is ready to collect." onChange={(e) => setT({ ...t, body: e.target.value })} />
        <span className="toggle-hint">Write placeholders in braces, like {'{customer_name}'}; Meta needs an example for each.</span></label>
      {placeholders.map((p) => (
        <label key={p} className="field"><span>Example for {label(p)}</span>
          <input required value={examples[p] ?? ''} onChange={(e) => setExamples({ ...examples, [p]: e.target.value })} /></label>
      ))}
      {t.body ? <p className="template-preview" aria-label="Preview">{preview(t.body, examples)}</p> : null}
      <div className="card-actions">
        <button type="submit" className="btn btn-primary" disabled={state.busy}>{state.busy ? 'Submitting…' : 'Submit to Meta'}</button>
        {state.error ? <p className="field-error" role="alert">{state.error}</p> : null}
        {state.done ? <p className="save-ok" role="status">{state.done}</p> : null}
      </div>
    </form>
  );
}
