/**
 * The inbox list (spec: messaging-inbox.txt, conversation list and filters;
 * issue 5 items 1–3): one page of conversation rows for a date scope and a
 * read filter, newest activity first, plus the four filter counts of that
 * scope, so the page needs one request.
 *
 * Pages are keyset-paginated on (last_activity_at, id): a conversation that
 * gets a new message while someone pages moves to the top and is not
 * repeated further down. The filters match the partial indexes of
 * migration 0005; the counts are one aggregate over the covering index
 * `conversations_scope_counts`.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';
import type { DateRange } from '../domain/date-range.js';
import { encodeCursor, type Cursor } from '../api/conversations/conversation.queries.js';
import { afterCursor, conversationRowsQuery, presentConversationRow, type Viewer } from './conversation-rows.js';
import type { ConversationRow, FilterCounts } from './conversation-row.schema.js';
import { inDateScope } from './date-scope.js';
import { allTimeCounts } from './conversation-counts.js';

/** The read filters of the spec's second filter row. */
export type ReadFilter = 'all' | 'unread' | 'unassigned' | 'mine';
export const READ_FILTERS: readonly ReadFilter[] = ['all', 'unread', 'unassigned', 'mine'];

export type ListRequest = {
  range: DateRange;
  timeZone: string;
  filter: ReadFilter;
  /** The signed-in staff user ("Mine"); null for API tokens, for whom Mine is empty. */
  userId: string | null;
  limit: number;
  after: Cursor | null;
  now: Date;
  viewer: Viewer;
};

function filterPredicate(filter: ReadFilter, userId: string | null) {
  switch (filter) {
    case 'all': return sql<boolean>`TRUE`;
    case 'unread': return sql<boolean>`c.unread_count > 0`;
    case 'unassigned': return sql<boolean>`c.assignee_id IS NULL`;
    case 'mine': return userId ? sql<boolean>`c.assignee_id = ${userId}::uuid` : sql<boolean>`FALSE`;
  }
}

/** One page of rows, newest activity first; `nextCursor` is null on the last page. */
export async function listConversationPage(trx: TenantTx, orgId: string, req: ListRequest): Promise<{ conversations: ConversationRow[]; nextCursor: string | null }> {
  let q = conversationRowsQuery(trx, orgId)
    .where(inDateScope(req.range, req.timeZone))
    .where(filterPredicate(req.filter, req.userId))
    .orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc')
    .limit(req.limit + 1);
  if (req.after) q = q.where(afterCursor(req.after.at, req.after.id));
  const rows = await q.execute();
  const page = rows.slice(0, req.limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map((r) => presentConversationRow(r, req.now, req.viewer)),
    nextCursor: rows.length > req.limit && last ? encodeCursor({ at: last.last_activity_at, id: last.id }) : null,
  };
}

/**
 * The All / Unread / Unassigned / Mine counts of a date scope: for All time
 * from the count deltas (src/inbox/conversation-counts.ts), otherwise one
 * aggregate over the conversations in scope.
 */
export async function filterCounts(trx: TenantTx, orgId: string, range: DateRange, timeZone: string, userId: string | null): Promise<FilterCounts> {
  if (!range.from && !range.to) return allTimeCounts(trx, orgId, userId);
  const mine = userId ? sql<boolean>`c.assignee_id = ${userId}::uuid` : sql<boolean>`FALSE`;
  const row = await trx.selectFrom('conversations as c')
    .select([
      sql<number>`count(*)::int`.as('all'),
      sql<number>`(count(*) FILTER (WHERE c.unread_count > 0))::int`.as('unread'),
      sql<number>`(count(*) FILTER (WHERE c.assignee_id IS NULL))::int`.as('unassigned'),
      sql<number>`(count(*) FILTER (WHERE ${mine}))::int`.as('mine'),
    ])
    .where('c.org_id', '=', orgId)
    .where(inDateScope(range, timeZone))
    .executeTakeFirstOrThrow();
  return { all: row.all, unread: row.unread, unassigned: row.unassigned, mine: row.mine };
}
