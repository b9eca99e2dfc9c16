/** Search the garage's work orders (number, customer or registration) and link one to the conversation. */
import { useEffect, useState } from 'react';
import { searchWorkOrders } from '../api/inbox';
import type { ActiveWorkOrder, WorkOrderHit } from '../api/types';
import { Dialog } from '../shell/Dialog';

type Props = { open: boolean; suggestions: ActiveWorkOrder[]; onClose(): void; onPick(wo: WorkOrderHit): Promise<void> };

export function WorkOrderDialog({ open, suggestions, onClose, onPick }: Props) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<WorkOrderHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) { setQ(''); setHits(null); setError(null); return; }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchWorkOrders(q.trim(), controller.signal).then(setHits).catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : 'Search failed.');
      });
    }, q ? 200 : 0);
    return () => { controller.abort(); window.clearTimeout(timer); };
  }, [q, open]);

  const list = q.trim() || !suggestions.length ? hits ?? [] : suggestions;
  const pick = async (wo: WorkOrderHit) => {
    setBusy(true);
    setError(null);
    try {
      await onPick(wo);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not link the work order.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="Link a work order" onClose={onClose}>
      <label className="field">
        <span>Search work orders</span>
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Number, customer or registration" autoFocus />
      </label>
      {!q.trim() && suggestions.length ? <p className="muted">This customer's active work orders:</p> : null}
      {error ? <p className="error-box" role="alert">{error}</p> : null}
      <ul className="pick-list" aria-label="Work orders">
        {list.map((wo) => (
          <li key={wo.id}>
            <button type="button" className="pick" disabled={busy} onClick={() => pick(wo)}>
              <strong>{wo.number}</strong> <span>{wo.title}</span>
              <span className="muted">{[wo.registration, 'customer' in wo ? wo.customer?.name : null, wo.status?.replace(/_/g, ' ')].filter(Boolean).join(' · ')}</span>
            </button>
          </li>
        ))}
        {q.trim() && hits && hits.length === 0 ? <li className="muted">No work orders match.</li> : null}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}
