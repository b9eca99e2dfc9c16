/**
 * A customer's profile: details (contact details only for roles that may see
 * them), vehicles, work orders, last portal login, the Communication
 * Preferences card, the consent history, and their one conversation — the
 * inbox's thread view and composer — with "Start a conversation" when there
 * is none yet (the first message goes through the usual send rules), and
 * the actions card (Send portal invite, SAR export).
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { customerConversation, fetchCustomer } from '../api/customers';
import { ConversationPanel } from '../conversation/ConversationPanel';
import { useSession } from '../shell/me-context';
import { ConsentCard } from './ConsentCard';
import { ConsentHistory } from './ConsentHistory';
import { CustomerActions } from './CustomerActions';
import { WhatsAppVerificationCard } from './WhatsAppVerificationCard';
import { EmailAddress } from '../shared/EmailAddress';
import { dateOnly, dateTime } from './format';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function CustomerProfilePage() {
  const { id = '' } = useParams();
  const { capabilities } = useSession();
  const client = useQueryClient();
  const valid = UUID.test(id);
  const profile = useQuery({ queryKey: ['customers', id], queryFn: ({ signal }) => fetchCustomer(id, signal), enabled: valid });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const canSend = capabilities.has('messages.send') || capabilities.has('messages.send_gated');

  if (!valid) return <main id="main" className="main page" tabIndex={-1}><p className="error-box" role="alert">This customer address is not valid. <Link to="/customers">Back to Customers</Link></p></main>;
  if (profile.error) return <main id="main" className="main page" tabIndex={-1}><p className="error-box" role="alert">{profile.error.message} <Link to="/customers">Back to Customers</Link></p></main>;
  const c = profile.data;
  if (!c) return <main id="main" className="main page" tabIndex={-1}><p className="muted">Loading…</p></main>;

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      await customerConversation(c.id);
      await client.invalidateQueries({ queryKey: ['customers', c.id] });
    } catch (e) {
      setStartError(e instanceof Error ? e.message : 'Could not start a conversation.');
    } finally {
      setStarting(false);
    }
  };

  return (
    <main id="main" className="main page profile-page" tabIndex={-1} data-customer-id={c.id}>
      <p className="breadcrumb"><Link to="/customers">Customers</Link> › {c.name}</p>
      <div className="profile-grid">
        <div className="profile-column">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title" className="customer-name">{c.name}</h2>
            <dl className="details-list">
              {capabilities.has('customers.contact.view') ? (
                <>
                  <dt>Phone</dt><dd>{c.phone ?? '—'}</dd>
                  <dt>E-mail</dt><dd className="email">{c.email ? <EmailAddress email={c.email} /> : '—'}</dd>
                </>
              ) : <><dt>Contact</dt><dd className="muted">Hidden for your role</dd></>}
              <dt>Portal</dt><dd>{c.portalLastLoginAt ? `Last logged in ${dateTime(c.portalLastLoginAt)}` : 'Never logged in'}</dd>
              <dt>Customer since</dt><dd>{dateOnly(c.createdAt)}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="vehicles-title">
            <h2 id="vehicles-title" className="section-title">Vehicles</h2>
            {c.vehicles.length ? <ul className="plain-list">{c.vehicles.map((v) => <li key={v.id}><span className="registration">{v.registration}</span> {[v.make, v.model].filter(Boolean).join(' ')}</li>)}</ul> : <p className="muted">No vehicles.</p>}
          </section>
          <section className="card" aria-labelledby="work-orders-title">
            <h2 id="work-orders-title" className="section-title">Work orders</h2>
            {c.workOrders.length ? (
              <ul className="plain-list">
                {c.workOrders.map((w) => <li key={w.id}><Link to={`/work-orders/${w.id}`}>{w.number}</Link> {w.title} <span className="badge">{w.status.replace(/_/g, ' ')}</span></li>)}
              </ul>
            ) : <p className="muted">No work orders.</p>}
          </section>
          <ConsentCard customerId={c.id} consents={c.consents} canManage={capabilities.has('customers.consent.manage')} />
          <CustomerActions customer={c} canInvite={capabilities.has('messages.send')} canExport={capabilities.has('customers.export')} />
          {capabilities.has('customers.consent.manage') && c.hasPhone ? <WhatsAppVerificationCard customerId={c.id} /> : null}
          <ConsentHistory customerId={c.id} />
        </div>
        <section className="profile-conversation" aria-label="Messages">
          {c.conversation ? <ConversationPanel conversationId={c.conversation.id} /> : (
            <div className="card start-conversation">
              <h2 className="section-title">No conversation yet</h2>
              <p>Start one by SMS, e-mail, the portal or a WhatsApp template; the usual consent and window rules apply.</p>
              {canSend ? <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={starting}>Start a conversation</button> : null}
              {startError ? <p className="error-box" role="alert">{startError}</p> : null}
            </div>
          )}
        </section>
      </div>
    </main>
  );
}
