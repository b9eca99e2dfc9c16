/**
 * Reassign a call (spec: messaging-inbox.txt): Move to a different customer
 * (search and select) or Detach to anonymous, an optional reason for the
 * audit log, then Confirm.
 */
import { useEffect, useState } from 'react';
import { reassignCall, searchCallCustomers } from '../api/calls';
import type { CallView } from '../api/types';
import { Dialog } from '../shell/Dialog';

type Choice = 'move' | 'detach';

export function ReassignDialog({ open, call, onClose, onMoved }: { open: boolean; call: CallView; onClose(): void; onMoved(): void }) {
  const [choice, setChoice] = useState<Choice>('move');
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Array<{ id: string; name: string; phone: string | null }>>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open || choice !== 'move' || q.trim().length < 2) { setResults([]); return; }
    const ctl = new AbortController();
    const t = window.setTimeout(() => {
      searchCallCustomers(q.trim(), ctl.signal).then((r) => setResults(r.customers.filter((c) => c.id !== call.caller.customer?.id)), () => undefined);
    }, 200);
    return () => { window.clearTimeout(t); ctl.abort(); };
  }, [q, choice, open, call.caller.customer?.id]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await reassignCall(call.id, choice === 'move' ? selected : null, reason);
      onMoved();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not move the call.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Reassign call" onClose={onClose}>
      <fieldset className="reassign-choices">
        <legend className="sr-only">Where the call goes</legend>
        <label><input type="radio" name="reassign" checked={choice === 'move'} onChange={() => setChoice('move')} /> Move to a different customer</label>
        <label><input type="radio" name="reassign" checked={choice === 'detach'} onChange={() => setChoice('detach')} /> Detach to anonymous</label>
      </fieldset>
      {choice === 'move' ? (
        <div className="reassign-search">
          <label className="field"><span>Search customers</span>
            <input type="search" value={q} onChange={(e) => { setQ(e.target.value); setSelected(null); }} placeholder="Name or phone" autoFocus />
          </label>
          <ul className="reassign-results" role="listbox" aria-label="Customers">
            {results.map((c) => (
              <li key={c.id} role="option" aria-selected={selected === c.id}>
                <button type="button" className={`result${selected === c.id ? ' selected' : ''}`} onClick={() => setSelected(c.id)}>
                  {c.name}{c.phone ? <span className="muted"> {c.phone}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <label className="field"><span>Reason (optional, for the audit log)</span>
        <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="button" className="btn btn-primary" onClick={confirm} disabled={busy || (choice === 'move' && !selected)}>Confirm</button>
      </div>
    </Dialog>
  );
}
