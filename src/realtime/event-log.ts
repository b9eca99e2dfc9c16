/**
 * Reading the real-time event log (`inbox_events`, migration 0005) in a
 * gap-free order, as the table owner (across organisations, outside any
 * tenant transaction).
 *
 * The rule (issue 5 item 7): events are delivered in (tx, id) order, and an
 * event is *released* only when every transaction with a lower id that could
 * still commit an event has finished; a reader that advances its cursor over
 * released events only never skips one. A committed event above that bound
 * is *held back* until the older transactions finish.
 *
 * The bound is the statement snapshot's xmin (`pg_snapshot_xmin`) — the
 * oldest transaction still running — except that transactions seen running
 * in *other databases* of the PostgreSQL cluster are left out: they cannot
 * write to this database's log, and a long one elsewhere (a bulk load, a
 * report) would otherwise stall delivery here for its whole duration. They
 * are read from `pg_stat_activity` in a statement before the one that reads
 * the log, so any transaction that is running when the log is read and
 * missing from that list counts (a transaction is never in another database
 * by mistake; at worst one of another database is waited for). PGlite has
 * one database and one connection: there the bound is plain xmin.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from '../db/database.js';
import type { Database, InboxEventType } from '../db/schema.js';
import { compareCursors, type Cursor } from './cursor.js';

/** One event of the log, as the dispatcher and the streams handle it. */
export type InboxEvent = {
  cursor: Cursor;
  orgId: string;
  type: InboxEventType;
  conversationId: string | null;
  payload: Record<string, unknown>;
  /** When the writing transaction started (the row's created_at). */
  at: Date;
};

/** What one read of the log after a cursor found. */
export type LogPage = {
  /** Released events after the cursor, in (tx, id) order. */
  events: InboxEvent[];
  /** True when the page hit its limit: read again from the last event. */
  more: boolean;
  /** True when committed events after these are held back by an older open transaction: read again shortly. */
  heldBack: boolean;
};

/** A page of one organisation's missed events, or the reason it must resync instead. */
export type CatchUpPage =
  | { resync: false; events: InboxEvent[]; more: boolean }
  /** `pruned`: events after the cursor may have been deleted by retention; `unknown_cursor`: the cursor names a transaction that has not started yet. */
  | { resync: true; reason: 'pruned' | 'unknown_cursor' };

export type EventLog = {
  /**
   * The newest released event of every organisation: where a dispatcher that
   * starts now begins (everything after it is new).
   * @returns null when no event is released yet (start from the beginning)
   */
  newestReleased(): Promise<Cursor | null>;
  /**
   * Events of every organisation after `cursor` (the dispatcher's live read).
   * @param limit most rows to read (released or held back)
   */
  readAfter(cursor: Cursor, limit: number): Promise<LogPage>;
  /**
   * One organisation's released events after `cursor` (a resuming client's
   * catch-up). The retention horizon is read in the same statement, hence
   * the same snapshot, as the events: if the cursor is not before the
   * horizon (the newest pruned event), every event after it is still in the
   * log (retention deletes events and moves the horizon in one statement).
   * @param limit most events per page
   */
  readOrgAfter(orgId: string, cursor: Cursor, limit: number): Promise<CatchUpPage>;
};

type EventRow = {
  tx: string;
  id: string;
  org_id: string;
  type: InboxEventType;
  conversation_id: string | null;
  payload: Record<string, unknown> | string;
  created_at: Date | string;
};

type CatchUpRow = { [K in keyof EventRow]: EventRow[K] | null } & { pruned_tx: string | null; pruned_id: string | null; xmax: string };

function toEvent(row: EventRow): InboxEvent {
  return {
    cursor: { tx: BigInt(row.tx), id: BigInt(row.id) },
    orgId: row.org_id,
    type: row.type,
    conversationId: row.conversation_id,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
    at: new Date(row.created_at),
  };
}

const EVENT_COLUMNS = sql`e.tx::text AS tx, e.id::text AS id, e.org_id, e.type, e.conversation_id, e.payload, e.created_at`;
const after = (cursor: Cursor) => sql`(e.tx, e.id) > (${cursor.tx.toString()}::xid8, ${cursor.id.toString()}::bigint)`;

/**
 * The release bound of the current statement's snapshot: the lowest
 * running transaction id not in `elsewhere`, or the snapshot's xmax when
 * there is none (every visible event is below it). `elsewhere` holds 32-bit
 * xids (pg_stat_activity's `backend_xid`), compared with the low 32 bits
 * of the snapshot's 64-bit ids.
 */
function releaseBound(elsewhere: string[]): RawBuilder<unknown> {
  return sql`(
    SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE (x::text::numeric % 4294967296)::bigint <> ALL (${`{${elsewhere.join(',')}}`}::bigint[])
  )`;
}

/** Transactions running now in other databases of the cluster (32-bit xids, decimal). */
async function otherDatabaseXids(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ xid: string }>`
    SELECT backend_xid::text AS xid FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datid IS NOT NULL
      AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
  `.execute(db);
  return rows.map((r) => r.xid);
}

/**
 * The event log, read through `db`.
 * @param engine on 'postgres', transactions of other databases are left out of the release bound
 */
export function eventLog(db: Kysely<Database>, engine: Engine): EventLog {
  const elsewhere = engine === 'postgres' ? () => otherDatabaseXids(db) : async () => [];

  return {
    async newestReleased() {
      const bound = releaseBound(await elsewhere());
      const { rows } = await sql<{ tx: string; id: string }>`
        SELECT e.tx::text AS tx, e.id::text AS id FROM inbox_events e
        WHERE e.tx < ${bound}
        ORDER BY e.tx DESC, e.id DESC LIMIT 1
      `.execute(db);
      const row = rows[0];
      return row ? { tx: BigInt(row.tx), id: BigInt(row.id) } : null;
    },

    async readAfter(cursor, limit) {
      const bound = releaseBound(await elsewhere());
      const { rows } = await sql<EventRow & { released: boolean }>`
        SELECT ${EVENT_COLUMNS}, e.tx < s.bound AS released
        FROM inbox_events e CROSS JOIN (SELECT ${bound} AS bound) s
        WHERE ${after(cursor)}
        ORDER BY e.tx, e.id LIMIT ${limit}
      `.execute(db);
      // Released rows come first: (tx, id) order and "tx below the bound" agree.
      const released = rows.filter((r) => r.released);
      return { events: released.map(toEvent), more: rows.length === limit && released.length === rows.length, heldBack: released.length < rows.length };
    },

    async readOrgAfter(orgId, cursor, limit) {
      const bound = releaseBound(await elsewhere());
      const { rows } = await sql<CatchUpRow>`
        SELECT h.pruned_tx::text AS pruned_tx, h.pruned_id::text AS pruned_id, s.xmax::text AS xmax, e.*
        FROM (SELECT ${bound} AS bound, pg_snapshot_xmax(pg_current_snapshot()) AS xmax) s
        LEFT JOIN inbox_event_horizon h ON true
        LEFT JOIN LATERAL (
          SELECT ${EVENT_COLUMNS} FROM inbox_events e
          WHERE e.org_id = ${orgId} AND ${after(cursor)} AND e.tx < s.bound
          ORDER BY e.tx, e.id LIMIT ${limit}
        ) e ON true
      `.execute(db);
      const first = rows[0]!;
      if (cursor.tx >= BigInt(first.xmax)) return { resync: true, reason: 'unknown_cursor' };
      if (first.pruned_tx !== null && first.pruned_id !== null) {
        const horizon = { tx: BigInt(first.pruned_tx), id: BigInt(first.pruned_id) };
        // At the horizon itself nothing is lost: every event after the newest pruned one is kept.
        if (compareCursors(cursor, horizon) < 0) return { resync: true, reason: 'pruned' };
      }
      const events = rows.filter((r): r is CatchUpRow & EventRow => r.tx !== null).map(toEvent).sort((a, b) => compareCursors(a.cursor, b.cursor));
      return { resync: false, events, more: events.length === limit };
    },
  };
}
