/**
 * The Approval Queue tab (messages.approve): replies from gated staff,
 * oldest first, with the conversation's latest messages for context. Approve
 * (optionally edited) or reject with a reason. Updates live.
 */
import { useCallback, useEffect, useState } from 'react';
import { approve, fetchApprovals, reject } from '../api/inbox';
import type { Approval } from '../api/types';
import { useInboxEvents } from '../hooks/useEventStream';
import { messageTime } from '../lib/time';
import { ChannelBadge, CHANNEL_NAMES } from '../inbox/ChannelIcon';
import type { MessageChannel } from '../api/types';

export function ApprovalQueue() {
  const [approvals, setApprovals] = useState<Approval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const res = await fetchApprovals();
      setApprovals(res.approvals);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not load the Approval Queue.');
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  useInboxEvents((e) => {
    if (e.type === 'approval.requested' || e.type === 'approval.decided' || e.type === 'resync') void load();
  }, () => void load());

  return (
    <section className="approvals" aria-labelledby="approvals-title">
      <h2 id="approvals-title" className="section-title">Replies waiting for approval</h2>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
      {approvals === null && !error ? <p className="muted">Loading…</p> : null}
      {approvals && approvals.length === 0 ? <p className="empty-state">Nothing to approve. Replies from staff who need approval appear here.</p> : null}
      <ul className="approval-list">
        {approvals?.map((a) => <ApprovalCard key={a.message.id} approval={a} onDone={(id) => setApprovals((list) => list?.filter((x) => x.message.id !== id) ?? null)} />)}
      </ul>
    </section>
  );
}

function ApprovalCard({ approval: a, onDone }: { approval: Approval; onDone(id: string): void }) {
  const [text, setText] = useState(a.message.body);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = a.message.id;
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work.');
      setBusy(false);
    }
  };
  const name = a.conversation.customerName ?? a.conversation.contactPhone ?? 'Unknown sender';
  return (
    <li className="approval-card" data-approval-id={id}>
      <article aria-label={`Reply to ${name} by ${a.author.name ?? 'staff'}`}>
        <header className="approval-head">
          <div>
            <h3>{name}</h3>
            <p className="meta">
              Drafted by {a.author.name ?? 'staff'} · <time dateTime={a.message.createdAt}>{messageTime(a.message.createdAt)}</time> · via {CHANNEL_NAMES[a.message.channel as MessageChannel] ?? a.message.channel}
            </p>
          </div>
          <ChannelBadge channel={(a.conversation.lastChannel as MessageChannel | null) ?? a.message.channel} />
        </header>
        {a.recentMessages.length ? (
          <ol className="context" aria-label="Earlier in the conversation">
            {[...a.recentMessages].sort((x, y) => x.occurredAt.localeCompare(y.occurredAt)).map((m) => (
              <li key={m.id} className={m.direction}>
                <span className="meta">{m.direction === 'inbound' ? name : m.direction === 'outbound' ? 'Garage' : 'Note'} · {messageTime(m.occurredAt)}</span>
                <span>{m.body}</span>
              </li>
            ))}
          </ol>
        ) : null}
        <label className="field">
          <span>Reply (you can edit it before approving)</span>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} disabled={busy} />
        </label>
        {error ? <p className="error-box" role="alert">{error}</p> : null}
        {rejecting ? (
          <div className="reject-form">
            <label className="field">
              <span>Reason for rejecting (shown to {a.author.name ?? 'the author'})</span>
              <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus disabled={busy} />
            </label>
            <div className="actions">
              <button type="button" className="btn" onClick={() => setRejecting(false)} disabled={busy}>Cancel</button>
              <button type="button" className="btn btn-danger" disabled={busy || !reason.trim()} onClick={() => act(() => reject(id, reason.trim()))}>Reject reply</button>
            </div>
          </div>
        ) : (
          <div className="actions">
            <button type="button" className="btn" onClick={() => setRejecting(true)} disabled={busy}>Reject…</button>
            <button type="button" className="btn btn-primary" disabled={busy || !text.trim()}
              onClick={() => act(() => approve(id, text !== a.message.body ? text : undefined))}>
              {text !== a.message.body ? 'Approve edited reply' : 'Approve and send'}
            </button>
          </div>
        )}
      </article>
    </li>
  );
}
