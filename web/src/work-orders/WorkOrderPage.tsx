/**
 * A work order's page with its Messages tab (spec: messaging-inbox.txt, "The
 * same thread view is rendered inside the Messages tab on the work-order
 * detail page"): the conversation linked to it, else its customer's, in the
 * inbox's own thread view and composer, live in both directions.
 *
 * `/work-orders/{id}/messages?embed=1` is the embed URL for the garage's own
 * system: the Messages tab alone (no header or navigation), signed in with a
 * staff session like the rest of the app.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { customerConversation, fetchWorkOrder, workOrderConversation } from '../api/customers';
import { ConversationPanel } from '../conversation/ConversationPanel';
import { useSession } from '../shell/me-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function WorkOrderPage() {
  const { id = '', tab } = useParams();
  const [params] = useSearchParams();
  const embed = params.get('embed') === '1';
  const valid = UUID.test(id);
  const workOrder = useQuery({ queryKey: ['work-orders', id], queryFn: ({ signal }) => fetchWorkOrder(id, signal), enabled: valid });
  if (!valid) return <main id="main" className="main page" tabIndex={-1}><p className="error-box" role="alert">This work order address is not valid. <Link to="/work-orders">Back to Work orders</Link></p></main>;
  if (workOrder.error) return <main id="main" className="main page" tabIndex={-1}><p className="error-box" role="alert">{workOrder.error.message}</p></main>;
  const w = workOrder.data;
  if (!w) return <main id="main" className="main page" tabIndex={-1}><p className="muted">Loading…</p></main>;
  const showing = tab === 'details' ? 'details' : 'messages';
  return (
    <main id="main" className={`main page work-order-page${embed ? ' embedded' : ''}`} tabIndex={-1} data-work-order-id={w.id}>
      {embed ? null : (
        <>
          <p className="breadcrumb"><Link to="/work-orders">Work orders</Link> › {w.number}</p>
          <header className="work-order-header">
            <h2>{w.number} · {w.title}</h2>
            <p><span className="badge">{w.status.replace(/_/g, ' ')}</span> <Link to={`/customers/${w.customer.id}`}>{w.customer.name}</Link>{w.registration ? ` · ${w.registration}` : ''}</p>
          </header>
          <nav className="subnav" aria-label="Work order sections">
            <ul>
              <li><NavLink to={`/work-orders/${w.id}/messages`} aria-current={showing === 'messages' ? 'page' : undefined}><span className="nav-label">Messages</span></NavLink></li>
              <li><NavLink to={`/work-orders/${w.id}/details`} aria-current={showing === 'details' ? 'page' : undefined}><span className="nav-label">Details</span></NavLink></li>
            </ul>
          </nav>
        </>
      )}
      {showing === 'messages' ? <MessagesTab workOrderId={w.id} customerId={w.customer.id} /> : (
        <dl className="details-list card"><dt>Number</dt><dd>{w.number}</dd><dt>Title</dt><dd>{w.title}</dd><dt>Status</dt><dd>{w.status.replace(/_/g, ' ')}</dd><dt>Vehicle</dt><dd>{w.registration ?? '—'}</dd></dl>
      )}
    </main>
  );
}

function MessagesTab({ workOrderId, customerId }: { workOrderId: string; customerId: string }) {
  const { capabilities } = useSession();
  const client = useQueryClient();
  const conversation = useQuery({
    queryKey: ['work-orders', workOrderId, 'conversation'],
    queryFn: async ({ signal }) => {
      try {
        return (await workOrderConversation(workOrderId, signal)).conversationId;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
  if (conversation.isPending) return <p className="muted">Loading…</p>;
  if (conversation.error) return <p className="error-box" role="alert">{conversation.error.message}</p>;
  if (conversation.data) return <ConversationPanel conversationId={conversation.data} />;
  const canSend = capabilities.has('messages.send') || capabilities.has('messages.send_gated');
  return (
    <div className="card start-conversation">
      <p>There is no conversation with this customer yet.</p>
      {canSend ? (
        <button type="button" className="btn btn-primary" onClick={() => void customerConversation(customerId).then(() => client.invalidateQueries({ queryKey: ['work-orders', workOrderId, 'conversation'] }))}>
          Start a conversation
        </button>
      ) : null}
    </div>
  );
}
