/** Work orders: search by number, customer name or registration (active ones first, at most 20). */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { fetchWorkOrders } from '../api/customers';

export function WorkOrdersPage() {
  const [q, setQ] = useState('');
  const list = useQuery({ queryKey: ['work-orders', 'search', q], queryFn: ({ signal }) => fetchWorkOrders(q, signal), placeholderData: keepPreviousData });
  return (
    <main id="main" className="main page" tabIndex={-1}>
      <div className="page-toolbar">
        <input type="search" className="search" aria-label="Search work orders" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search number, customer or registration" />
      </div>
      {list.error ? <p className="error-box" role="alert">{list.error.message}</p> : null}
      <ul className="directory" aria-label="Work orders">
        {list.data?.workOrders.map((w) => (
          <li key={w.id}>
            <Link to={`/work-orders/${w.id}`} className="directory-row">
              <span className="row-name">{w.number} · {w.title}</span>
              <span className="directory-detail">{[w.customer.name, w.registration].filter(Boolean).join(' · ')}</span>
              <span className="badge">{w.status.replace(/_/g, ' ')}</span>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
