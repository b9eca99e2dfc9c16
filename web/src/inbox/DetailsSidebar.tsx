/**
 * The details sidebar: customer details (contact details hidden from roles
 * without customers.contact.view), the linked work order with Link (search
 * dialog) and Unlink (confirmation), and the assignment dropdown.
 */
import { EmailAddress } from '../shared/EmailAddress';
import { useEffect, useRef, useState } from 'react';
import { assign, linkWorkOrder, unlinkWorkOrder } from '../api/inbox';
import type { ConversationDetail, StaffMember } from '../api/types';
import { bannerDate } from '../lib/portal-banner';
import { Dialog } from '../shell/Dialog';
import { CloseIcon, LinkIcon } from '../shell/icons';
import { rowName } from './ConversationRowItem';
import { WorkOrderDialog } from './WorkOrderDialog';
import { Link } from 'react-router';
import { CustomerForm } from '../customers/CustomerForm';

type Props = {
  conversation: ConversationDetail;
  /** customers.manage: an unknown sender can be saved as a customer. */
  canCreateCustomer?: boolean;
  staff: StaffMember[];
  canSeeContact: boolean;
  sheet: boolean;
  onClose?(): void;
  onChanged(): void;
};

export function DetailsSidebar({ conversation: c, staff, canSeeContact, canCreateCustomer = false, sheet, onClose, onChanged }: Props) {
  const [saving, setSaving] = useState(false);
  const [linking, setLinking] = useState(false);
  const [confirmUnlink, setConfirmUnlink] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const assigneeId = c.assignee?.id ?? c.assigneeId ?? '';
  const [assignee, setAssignee] = useState<string | null>(null);
  const shownAssignee = assignee ?? assigneeId;
  useEffect(() => setAssignee(null), [assigneeId, c.id]);
  // The sheet: focus its close button when it opens, and Escape closes it.
  const closeButton = useRef<HTMLButtonElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!sheet) return;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !document.querySelector('dialog[open]')) close.current?.(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sheet]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work.');
      throw e;
    } finally {
      setBusy(false);
    }
  };

  const customer = c.customer;
  return (
    <aside id="details-panel" className={`details${sheet ? ' sheet' : ''}`} aria-label="Conversation details">
      <header className="details-header">
        <h2>Details</h2>
        {onClose ? <button ref={closeButton} type="button" className="icon-button" onClick={onClose} aria-label="Close details"><CloseIcon /></button> : null}
      </header>
      {error ? <p className="error-box" role="alert">{error}</p> : null}

      <section className="details-section" aria-labelledby="details-customer">
        <h3 id="details-customer">Customer</h3>
        <p className="details-name">{customer ? <Link to={`/customers/${customer.id}`}>{customer.name}</Link> : rowName(c)}</p>
        {!customer && canCreateCustomer ? (
          <>
            <button type="button" className="btn btn-small" onClick={() => setSaving(true)}>Save as customer</button>
            {saving ? <CustomerForm open fromConversationId={c.id} initialName={c.contactName ?? ''} onClose={() => setSaving(false)} onCreated={() => onChanged()} /> : null}
          </>
        ) : null}
        <dl>
          <dt>Phone</dt>
          <dd>{canSeeContact ? (customer?.phone ?? c.contactPhone ? <a href={`tel:${customer?.phone ?? c.contactPhone}`}>{customer?.phone ?? c.contactPhone}</a> : 'None on file') : <span className="redacted">Hidden for your role</span>}</dd>
          <dt>Email</dt>
          <dd>{canSeeContact ? (customer?.email ? <a href={`mailto:${customer.email}`}><EmailAddress email={customer.email} /></a> : 'None on file') : <span className="redacted">Hidden for your role</span>}</dd>
          {customer ? (<><dt>Portal</dt><dd>{customer.portalLastLoginAt ? `Last login ${bannerDate(customer.portalLastLoginAt)}` : 'Never logged in'}</dd></>) : null}
          {c.contextBadge ? (<><dt>Context</dt><dd><span className="tag">{c.contextBadge[0]!.toUpperCase() + c.contextBadge.slice(1)}</span></dd></>) : null}
        </dl>
      </section>

      <section className="details-section" aria-labelledby="details-wo">
        <h3 id="details-wo">Work order</h3>
        {c.workOrder ? (
          <div className="work-order">
            <p><strong>{c.workOrder.number}</strong> {c.workOrder.title}</p>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirmUnlink(true)}>Unlink</button>
          </div>
        ) : (
          <>
            {c.needsWorkOrderPick ? <p className="hint">Pick a work order to link</p> : <p className="muted">No work order linked.</p>}
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => setLinking(true)}><LinkIcon size={16} /> Link a work order</button>
          </>
        )}
      </section>

      <section className="details-section">
        <h3><label htmlFor="assignee-select">Assigned to</label></h3>
        <select id="assignee-select" value={shownAssignee} disabled={busy} onChange={(e) => {
          const value = e.target.value;
          setAssignee(value);
          run(() => assign(c.id, value || null)).catch(() => setAssignee(null));
        }}>
          <option value="">Unassigned</option>
          {staff.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </section>

      <WorkOrderDialog open={linking} suggestions={c.activeWorkOrders ?? []} onClose={() => setLinking(false)}
        onPick={(wo) => run(() => linkWorkOrder(c.id, wo.id))} />
      <Dialog open={confirmUnlink} title="Unlink this work order?" onClose={() => setConfirmUnlink(false)}>
        <p>{c.workOrder ? `${c.workOrder.number} ${c.workOrder.title}` : ''} will no longer be linked to this conversation. A note is added to the thread.</p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setConfirmUnlink(false)}>Cancel</button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => {
            run(() => unlinkWorkOrder(c.id)).then(() => setConfirmUnlink(false), () => undefined);
          }}>Unlink</button>
        </div>
      </Dialog>
    </aside>
  );
}
