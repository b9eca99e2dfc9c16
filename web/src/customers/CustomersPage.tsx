/**
 * The customer directory: search by name, phone (any format), e-mail or
 * registration, 25 a page, New customer and Import (with customers.manage),
 * and on each row Message (their conversation in the inbox) or Start a
 * conversation (made, then their profile's composer), for roles that send.
 * The search and page live in the address (`/customers?q=…&page=2`).
 */
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { customerConversation, fetchDirectory } from '../api/customers';
import { useSession } from '../shell/me-context';
import { CustomerForm } from './CustomerForm';
import { ImportDialog } from './ImportDialog';

export function CustomersPage() {
  const { capabilities } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [input, setInput] = useState(q);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const navigate = useNavigate();
  const canSend = capabilities.has('messages.send') || capabilities.has('messages.send_gated');
  const start = async (customerId: string) => {
    setStartError(null);
    try {
      await customerConversation(customerId);
      navigate(`/customers/${customerId}`);
    } catch (e) {
      setStartError(e instanceof Error ? e.message : 'Could not start a conversation.');
    }
  };
  useEffect(() => {
    const t = window.setTimeout(() => { if (input !== q) setParams(input ? { q: input } : {}, { replace: true }); }, 250);
    return () => window.clearTimeout(t);
  }, [input]);
  const directory = useQuery({ queryKey: ['customers', 'directory', q, page], queryFn: ({ signal }) => fetchDirectory(q, page, signal), placeholderData: keepPreviousData });
  const data = directory.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const goPage = (p: number) => setParams({ ...(q ? { q } : {}), page: String(p) });
  const canContact = capabilities.has('customers.contact.view');

  return (
    <main id="main" className="main page customers-page" tabIndex={-1}>
      <div className="page-toolbar">
        <input type="search" className="search" aria-label="Search customers" value={input} onChange={(e) => setInput(e.target.value)}
          placeholder={canContact ? 'Search name, phone, e-mail or registration' : 'Search name or registration'} />
        {capabilities.has('customers.manage') ? <button type="button" className="btn" onClick={() => setImporting(true)}>Import CSV</button> : null}
        {capabilities.has('customers.manage') ? <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>New customer</button> : null}
      </div>
      {directory.error ? <p className="error-box" role="alert">{directory.error.message}</p> : null}
      {startError ? <p className="error-box" role="alert">{startError}</p> : null}
      {data ? <p className="muted result-count">{data.total === 1 ? '1 customer' : `${data.total} customers`}</p> : <p className="muted">Loading…</p>}
      <ul className="directory" aria-label="Customers">
        {data?.customers.map((c) => (
          <li key={c.id} data-customer-id={c.id}>
            <Link to={`/customers/${c.id}`} className="directory-row">
              <span className="row-name">{c.name}</span>
              <span className="directory-detail">
                {[c.phone, c.email, ...c.registrations].filter(Boolean).join(' · ') || <span className="muted">No details</span>}
              </span>
              {c.activeWorkOrders ? <span className="badge">{c.activeWorkOrders} active work order{c.activeWorkOrders > 1 ? 's' : ''}</span> : null}
            </Link>
            {canSend ? (c.conversationId
              ? <Link className="btn btn-small directory-message" to={`/messages?conversation=${c.conversationId}`} aria-label={`Message ${c.name}`}>Message</Link>
              : <button type="button" className="btn btn-small directory-message" onClick={() => void start(c.id)} aria-label={`Start a conversation with ${c.name}`}>Start a conversation</button>) : null}
          </li>
        ))}
      </ul>
      {data && pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => goPage(page - 1)}>Previous</button>
          <span>Page {page} of {pages}</span>
          <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => goPage(page + 1)}>Next</button>
        </nav>
      ) : null}
      {creating ? <CustomerForm open onClose={() => setCreating(false)} /> : null}
      {importing ? <ImportDialog open onClose={() => setImporting(false)} /> : null}
    </main>
  );
}
