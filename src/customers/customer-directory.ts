/**
 * The customer directory: search and paging (issue 12: "Search (name, phone
 * in any format, email, vehicle registration), paging").
 *
 * A term matches a name (case-insensitive, anywhere), a registration
 * (spaces and case ignored) and — only for principals who may see contact
 * details — a phone number (the term read as a phone number in any format,
 * or its digits anywhere in the E.164 number) or an e-mail address. Without
 * `customers.contact.view` neither phones nor e-mail addresses are matched,
 * so a search cannot reveal whose number it is.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import { toE164 } from '../domain/phone.js';

export type DirectoryQuery = { q: string; page: number; pageSize: number; contact: boolean };

export type DirectoryRow = {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  registrations: string[];
  conversationId: string | null;
  lastActivityAt: string | null;
  activeWorkOrders: number;
};

/** LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** @returns one page of customers (by name, then newest) and how many match in all */
export async function searchCustomers(trx: TenantTx, orgId: string, query: DirectoryQuery): Promise<{ rows: DirectoryRow[]; total: number }> {
  const q = query.q.trim();
  let base = trx.selectFrom('customers as c').where('c.org_id', '=', orgId);
  if (q) {
    const compact = q.replace(/\s+/g, '').toUpperCase();
    const e164 = query.contact ? toE164(q) : null;
    const digits = q.replace(/\D/g, '');
    base = base.where((eb) => eb.or([
      eb('c.name', 'ilike', containing(q)),
      eb.exists(eb.selectFrom('vehicles as v').select(sql`1`.as('one'))
        .whereRef('v.org_id', '=', 'c.org_id').whereRef('v.customer_id', '=', 'c.id')
        .where(sql`upper(replace(v.registration, ' ', ''))`, 'like', containing(compact))),
      ...(query.contact ? [
        eb('c.email', 'ilike', containing(q)),
        ...(e164 ? [eb('c.phone', '=', e164)] : []),
        ...(digits.length >= 4 ? [eb('c.phone', 'like', containing(digits.replace(/^0/, '')))] : []),
      ] : []),
    ]));
  }
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('conversations as cv', (j) => j.onRef('cv.org_id', '=', 'c.org_id').onRef('cv.customer_id', '=', 'c.id'))
    .select(['c.id', 'c.name', 'c.phone', 'c.email', 'cv.id as conversation_id', 'cv.last_activity_at'])
    .select((eb) => [
      sql<string[]>`coalesce((SELECT array_agg(v.registration ORDER BY v.created_at) FROM vehicles v WHERE v.org_id = c.org_id AND v.customer_id = c.id), '{}')`.as('registrations'),
      eb.selectFrom('work_orders as w').select(eb.fn.countAll<string>().as('n'))
        .whereRef('w.org_id', '=', 'c.org_id').whereRef('w.customer_id', '=', 'c.id').where('w.status', 'not in', ['completed', 'cancelled']).as('active_work_orders'),
    ])
    .orderBy(sql`lower(c.name)`).orderBy('c.created_at', 'desc').orderBy('c.id')
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    total: Number(counted.n),
    rows: rows.map((r) => ({
      id: r.id, name: r.name,
      phone: query.contact ? r.phone : null, email: query.contact ? r.email : null,
      registrations: r.registrations, conversationId: r.conversation_id, lastActivityAt: r.last_activity_at?.toISOString() ?? null,
      activeWorkOrders: Number(r.active_work_orders ?? 0),
    })),
  };
}
