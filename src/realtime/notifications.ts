/**
 * Wake-ups for the event dispatcher: PostgreSQL `LISTEN inbox_events`
 * (migration 0005's statement trigger notifies that channel when events are
 * inserted, delivered at commit to every listening server instance).
 *
 * - PostgreSQL: one dedicated `pg.Client` per server instance, outside the
 *   pool (a pooled connection would lose its LISTEN when released). If the
 *   connection drops it reconnects with a growing delay (up to 5 s) and
 *   wakes the dispatcher once connected, since notifications sent meanwhile
 *   are lost (the events are not: they are read from the log).
 * - PGlite: the embedded client's `listen`, issued through Kysely's
 *   connection queue so that the LISTEN never runs inside another
 *   request's transaction (PGlite has one connection; see src/jobs/queue.ts).
 *
 * The payload is empty: a notification only says "read the log".
 */
import pg from 'pg';
import type { DatabaseHandle } from '../db/database.js';

const CHANNEL = 'inbox_events';

/** A running subscription to the channel. */
export type Listener = { close(): Promise<void> };

/**
 * Listen on `inbox_events` over the database of `handle`.
 * @param onNotify called (synchronously, possibly many times in a burst) when events may have been committed
 * @param onError told about a lost connection before each reconnection attempt
 */
export async function listenForEvents(handle: DatabaseHandle, onNotify: () => void, onError: (err: unknown) => void): Promise<Listener> {
  if (handle.databaseUrl) return listenOnPostgres(handle.databaseUrl, onNotify, onError);
  const pglite = handle.pglite;
  if (!pglite) throw new Error('database handle has neither a connection string nor an embedded client');
  const unlisten = await handle.db.connection().execute(() => pglite.listen(CHANNEL, onNotify));
  return {
    close: async () => {
      if (!pglite.closed) await handle.db.connection().execute(() => unlisten());
    },
  };
}

async function listenOnPostgres(databaseUrl: string, onNotify: () => void, onError: (err: unknown) => void): Promise<Listener> {
  let client: pg.Client | null = null;
  let closed = false;
  let retryDelayMs = 100;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'torqueflow-realtime' });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL) onNotify();
    });
    next.on('error', (err) => {
      onError(err);
      reconnect(next);
    });
    next.on('end', () => reconnect(next));
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    retryDelayMs = 100;
  };

  const reconnect = (dead: pg.Client) => {
    if (closed || retryTimer || (client !== dead && client !== null)) return;
    client = null;
    dead.end().catch(() => undefined);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect().then(onNotify, (err: unknown) => {
        onError(err);
        retryDelayMs = Math.min(retryDelayMs * 2, 5_000);
        reconnect(dead);
      });
    }, retryDelayMs);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      await current?.end();
    },
  };
}
