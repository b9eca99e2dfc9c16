/**
 * Who may read which stored media, by the one path every reader takes:
 * a tenant transaction (RLS: another garage's media does not exist) and, for
 * a portal customer, the conversation's customer and the message's
 * visibility (never an internal note, a pending or rejected approval draft, never a staff
 * attachment not yet sent), and never a call recording (those are read
 * through src/voice/recording-store.ts, behind `calls.view`). Anything else
 * is "not found" — the same answer for another garage's, another
 * customer's and a missing id.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { MediaStore, StoredObject } from './store.js';

export type MediaVariant = 'original' | 'thumbnail';

export type MediaReader =
  | { kind: 'staff' }
  /** A signed-in portal customer (the portal session's customer id). */
  | { kind: 'customer'; customerId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stored bytes of `mediaId` for `reader` in organisation `orgId`.
 * @returns null when the reader may not see it, it does not exist, or it is not stored (pending, unavailable)
 */
export async function readMedia(db: Kysely<Database>, store: MediaStore, orgId: string, mediaId: string, variant: MediaVariant, reader: MediaReader): Promise<StoredObject | null> {
  if (!UUID.test(mediaId)) return null;
  const row = await withTenant(db, orgId, async (trx) => {
    let q = trx.selectFrom('media_objects as mo')
      .select(['mo.storage_key', 'mo.thumbnail_key', 'mo.state'])
      .where('mo.org_id', '=', orgId).where('mo.id', '=', mediaId)
      // Call recordings are served by GET /v1/calls/{id}/recording alone (calls.view).
      .where('mo.source', '<>', 'recording');
    if (reader.kind === 'customer') {
      q = q.innerJoin('conversations as c', (j) => j.onRef('c.org_id', '=', 'mo.org_id').onRef('c.id', '=', 'mo.conversation_id'))
        .innerJoin('messages as m', (j) => j.onRef('m.org_id', '=', 'mo.org_id').onRef('m.id', '=', 'mo.message_id'))
        .where('c.customer_id', '=', reader.customerId)
        .where('m.direction', '<>', 'internal')
        .where((eb) => eb.or([eb('m.status', 'is', null), eb('m.status', 'not in', ['pending_approval', 'rejected'])]));
    }
    return q.executeTakeFirst();
  });
  const key = row?.state === 'stored' ? (variant === 'thumbnail' ? row.thumbnail_key : row.storage_key) : null;
  if (!key) return null;
  return store.get(key);
}
