/**
 * The real-time side of one server instance (issue 5 item 7): the event
 * dispatcher behind `GET /v1/events` and the retention timer of the event
 * log. Started with the app over an open, migrated database and closed
 * before the database (src/server/start.ts).
 */
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { startEventDispatcher, type EventDispatcher } from './dispatcher.js';
import { startRetention } from './retention.js';

export type Realtime = {
  dispatcher: EventDispatcher;
  /** Close every stream, stop listening and pruning. Idempotent. */
  close(): Promise<void>;
};

function warn(what: string): (err: unknown) => void {
  return (err) => process.emitWarning(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Start listening for events and pruning those older than
 * `config.EVENT_RETENTION_HOURS`.
 * @throws when the LISTEN connection or the first read of the log fails
 */
export async function startRealtime(handle: DatabaseHandle, config: Config): Promise<Realtime> {
  const dispatcher = await startEventDispatcher(handle, warn('real-time events'));
  const retention = startRetention(handle.db, config.EVENT_RETENTION_HOURS, warn('event retention'));
  return {
    dispatcher,
    close: async () => {
      await retention.stop();
      await dispatcher.close();
    },
  };
}
