/**
 * One event dispatcher per server instance (issue 5 item 7): it listens on
 * `inbox_events`, reads the events committed since its cursor (all
 * organisations, as the table owner, under the release rule of
 * event-log.ts) and hands each to the connected streams of the event's
 * organisation, in (tx, id) order.
 *
 * - Notifications are coalesced: a burst of NOTIFYs during a read causes one
 *   more read, not one per notification.
 * - When committed events are held back by an older open transaction, the
 *   log is read again after `HELD_BACK_RETRY_MS` instead of waiting for the
 *   next notification (the older transaction may write no event at all).
 * - A failed read is retried after `ERROR_RETRY_MS`; the cursor only moves
 *   over events that were handed out.
 *
 * Only this instance's connections and cursor live in memory; the log is in
 * the database, so any instance serves any client (a client resumes
 * anywhere with its Last-Event-ID).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { survivesDroppedConnections, type DatabaseHandle } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { START, type Cursor } from './cursor.js';
import { eventLog, type EventLog, type InboxEvent } from './event-log.js';
import { listenForEvents, type Listener } from './notifications.js';

/** Pause before reading again while events are held back, in milliseconds. */
const HELD_BACK_RETRY_MS = 15;
/** Pause before reading again after a failed read, in milliseconds. */
const ERROR_RETRY_MS = 1_000;
/** Most events read per statement. */
const PAGE_SIZE = 500;

/** A connected stream, as the dispatcher sees it. */
export type Subscriber = {
  orgId: string;
  /** Called synchronously for each new event of `orgId`, in order. */
  deliver(event: InboxEvent): void;
  /** Called when the dispatcher closes (server shutdown). */
  close(): void;
};

export type EventDispatcher = {
  /** The log through the application's pool, for streams catching up. */
  log: EventLog;
  /** The position of the newest event handed out: a new subscriber receives everything after it. */
  position(): Cursor;
  /**
   * Start handing `subscriber` its organisation's new events.
   * @returns unsubscribe
   */
  subscribe(subscriber: Subscriber): () => void;
  /** How many subscribers are connected (the real-time clients metric). */
  clients(): number;
  /** Stop listening, close every subscriber and wait for a read in progress. */
  close(): Promise<void>;
};

/**
 * Start the dispatcher: listen first, then take the newest released event as
 * the starting position (so nothing committed in between is missed), then
 * read once.
 * @param onError told about failed reads and lost LISTEN connections (each is retried)
 */
export async function startEventDispatcher(handle: DatabaseHandle, onError: (err: unknown) => void): Promise<EventDispatcher> {
  // On PostgreSQL the live reads have a connection of their own, so a pool busy with requests never delays them.
  const readerPool = handle.databaseUrl ? survivesDroppedConnections(new pg.Pool({ connectionString: handle.databaseUrl, max: 1, application_name: 'torqueflow-realtime-reader' }), onError) : null;
  const reader = readerPool ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: readerPool }) }) : null;
  const live = eventLog(reader ?? handle.db, handle.engine);
  const log = eventLog(handle.db, handle.engine);
  const subscribers = new Map<string, Set<Subscriber>>();
  let cursor: Cursor = START;
  let closed = false;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let retryTimer: NodeJS.Timeout | null = null;

  const fanOut = (event: InboxEvent) => {
    for (const subscriber of subscribers.get(event.orgId) ?? []) subscriber.deliver(event);
  };

  const retryIn = (ms: number) => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      wake();
    }, ms);
  };

  const drain = async () => {
    do {
      readAgain = false;
      const page = await live.readAfter(cursor, PAGE_SIZE);
      if (closed) return;
      for (const event of page.events) {
        cursor = event.cursor;
        fanOut(event);
      }
      if (page.more) readAgain = true;
      if (page.heldBack) retryIn(HELD_BACK_RETRY_MS);
    } while (readAgain && !closed);
  };

  function wake(): void {
    if (closed) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = drain()
      .catch((err: unknown) => {
        if (closed) return;
        onError(err);
        readAgain = false;
        retryIn(ERROR_RETRY_MS);
      })
      .finally(() => {
        reading = null;
        if (readAgain) wake();
      });
  }

  // Notifications before the starting position is known are covered by the read that follows it.
  let started = false;
  let listener: Listener | null = null;
  try {
    listener = await listenForEvents(handle, () => started && wake(), onError);
    cursor = (await live.newestReleased()) ?? START;
  } catch (err) {
    await listener?.close();
    await reader?.destroy();
    throw err;
  }
  const listening = listener;
  started = true;
  wake();

  return {
    log,
    position: () => cursor,
    clients: () => {
      let n = 0;
      for (const set of subscribers.values()) n += set.size;
      return n;
    },
    subscribe: (subscriber) => {
      let set = subscribers.get(subscriber.orgId);
      if (!set) subscribers.set(subscriber.orgId, (set = new Set()));
      set.add(subscriber);
      return () => {
        set.delete(subscriber);
        if (set.size === 0 && subscribers.get(subscriber.orgId) === set) subscribers.delete(subscriber.orgId);
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await listening.close();
      await reading;
      await reader?.destroy();
      for (const set of subscribers.values()) for (const subscriber of set) subscriber.close();
      subscribers.clear();
    },
  };
}
