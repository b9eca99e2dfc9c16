/**
 * Cursors of the conversation list and the thread, and the thread's pages of
 * messages, read inside a tenant transaction (RLS applies; the explicit org
 * filters keep plans on the org-leading indexes).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../../db/tenant.js';

export type Cursor = { at: Date; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

/** @returns null when `raw` is not a cursor this API issued */
export function decodeCursor(raw: string): Cursor | null {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return { at: date, id };
}

/**
 * A page of a conversation's messages, latest `limit` before `before`, in
 * chronological order, with the staff sender's (or the sending API token's) name; `earlierCursor` pages
 * back ("Load earlier messages") and is null at the start of the thread.
 * @param audience 'customer' leaves out what the customer must never see:
 *   internal entries (system entries, staff notes) and replies awaiting or
 *   refused approval
 */
export async function listMessages(trx: TenantTx, orgId: string, conversationId: string, limit: number, before: Cursor | null, audience: 'staff' | 'customer' = 'staff') {
  let q = trx
    .selectFrom('messages as m')
    .leftJoin('staff_users as s', (j) => j.onRef('s.id', '=', 'm.sender_user_id').onRef('s.org_id', '=', 'm.org_id'))
    .leftJoin('api_tokens as t', (j) => j.onRef('t.id', '=', 'm.sender_token_id').onRef('t.org_id', '=', 'm.org_id'))
    .selectAll('m')
    .select(['s.name as sender_user_name', 't.name as sender_token_name'])
    .where('m.org_id', '=', orgId)
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.occurred_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit + 1);
  if (before) q = q.where(sql<boolean>`(m.occurred_at, m.id) < (${before.at}, ${before.id}::uuid)`);
  if (audience === 'customer') q = q.where('m.direction', '<>', 'internal').where(sql<boolean>`m.status IS DISTINCT FROM 'pending_approval' AND m.status IS DISTINCT FROM 'rejected'`);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const earliest = page[page.length - 1];
  return {
    messages: page.reverse(),
    earlierCursor: rows.length > limit && earliest ? encodeCursor({ at: earliest.occurred_at, id: earliest.id }) : null,
  };
}
