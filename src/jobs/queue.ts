/**
 * The durable job queue: pg-boss in the `pgboss` schema of the same
 * database, on PostgreSQL and on PGlite alike.
 *
 * On PostgreSQL pg-boss uses its own small pool (with LISTEN/NOTIFY so
 * workers wake as soon as a job commits). On PGlite, which has one
 * connection, every pg-boss statement goes through Kysely's connection
 * queue, so it can never run inside another request's transaction.
 *
 * `enqueue(trx, …)` inserts a job inside the caller's transaction: the job
 * exists if and only if the transaction commits (transactional outbox).
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { PgBoss, type QueueOptions, type QueuePolicy, type SendOptions } from 'pg-boss';

type IDatabase = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> };
import type { DatabaseHandle } from '../db/database.js';
import type { Database } from '../db/schema.js';

export const JOB_SCHEMA = 'pgboss';

export type JobQueue = {
  boss: PgBoss;
  /** Poll interval in seconds for workers: short on PGlite (no NOTIFY), long backstop on PostgreSQL. */
  pollingIntervalSeconds: number;
  /**
   * Enqueue a job inside the caller's transaction.
   * @returns the job id
   */
  enqueue<T extends object>(trx: Transaction<Database>, queue: string, data: T, options?: SendOptions): Promise<string>;
  /** False once `stop()` was called or pg-boss stopped (the readiness check). */
  isRunning(): boolean;
  /**
   * Enqueue inside the caller's transaction unless the queue's policy refuses
   * it (e.g. a `short` queue already holds a queued job with this `singletonKey`).
   * @returns the job id, or null when refused
   */
  enqueueUnlessQueued<T extends object>(trx: Transaction<Database>, queue: string, data: T, options: SendOptions & { singletonKey: string }): Promise<string | null>;
  stop(): Promise<void>;
};

function viaKysely(db: Kysely<Database>): IDatabase {
  return {
    executeSql: async (text, values) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] as any[] };
    },
  };
}

/** pg-boss statements on the single PGlite connection, multi-statement SQL included. */
function viaPGlite(handle: DatabaseHandle): IDatabase {
  const client = handle.pglite!;
  return {
    executeSql: (text, values) =>
      handle.db.connection().execute(async () => {
        if (values && values.length > 0) return { rows: (await client.query(text, values as any[])).rows as any[] };
        const results = await client.exec(text);
        return results.length === 1 ? { rows: results[0]!.rows as any[] } : (results as any);
      }),
  };
}

/**
 * How often pg-boss's supervisor looks for jobs whose worker died. A job left
 * `active` by a killed process is only retried when a supervise pass that
 * also wins the monitor claim finds it past `expireInSeconds`; both
 * intervals default to 60 s, which would add up to two minutes to the
 * recovery of a crashed delivery. Run them as often as the shortest expiry
 * (between 5 and 60 s), so a dead worker's job is retried within about two
 * expiry periods.
 */
export function maintenanceIntervals(queues: Record<string, QueueOptions>): { superviseIntervalSeconds: number; monitorIntervalSeconds: number } {
  const expiries = Object.values(queues).map((q) => q.expireInSeconds).filter((s): s is number => typeof s === 'number' && s > 0);
  const seconds = Math.min(60, Math.max(5, Math.ceil(Math.min(60, ...expiries))));
  return { superviseIntervalSeconds: seconds, monitorIntervalSeconds: seconds };
}

/**
 * Start pg-boss (creating or migrating its schema) and make sure `queues`
 * exist with their options.
 */
export async function startJobQueue(handle: DatabaseHandle, queues: Record<string, QueueOptions & { notify?: boolean; policy?: QueuePolicy }>): Promise<JobQueue> {
  const maintenance = maintenanceIntervals(queues);
  const boss = handle.databaseUrl
    ? new PgBoss({ connectionString: handle.databaseUrl, schema: JOB_SCHEMA, max: 4, application_name: 'torqueflow-jobs', useListenNotify: true, ...maintenance })
    : new PgBoss({ db: viaPGlite(handle), schema: JOB_SCHEMA, ...maintenance });
  boss.on('error', (err) => {
    process.emitWarning(`job queue: ${err instanceof Error ? err.message : String(err)}`);
  });
  let running = true;
  boss.on('stopped', () => { running = false; });
  await boss.start();
  // One read of every queue; a queue is written only when it is new or its settings changed.
  const existing = new Map((await boss.getQueues(Object.keys(queues))).map((q) => [q.name, q as unknown as Record<string, unknown>]));
  for (const [name, options] of Object.entries(queues)) {
    const current = existing.get(name);
    // A queue's policy is fixed when it is created.
    const { policy: _policy, ...updatable } = options;
    if (current) {
      if (Object.entries(updatable).some(([key, value]) => current[key] !== value)) await boss.updateQueue(name, updatable);
    } else await boss.createQueue(name, options).catch(async (err) => {
      if (!(await boss.getQueue(name))) throw err;
    });
  }
  // Jobs are enqueued inside tenant transactions, as the RLS-bound application role.
  await sql`GRANT USAGE ON SCHEMA ${sql.id(JOB_SCHEMA)} TO torqueflow_app`.execute(handle.db);
  await sql`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${sql.id(JOB_SCHEMA)} TO torqueflow_app`.execute(handle.db);
  return {
    boss,
    pollingIntervalSeconds: handle.databaseUrl ? 2 : 0.5,
    enqueue: async (trx, queue, data, options) => {
      const id = await boss.send(queue, data, { ...options, db: viaKysely(trx) });
      if (!id) throw new Error(`job queue refused a job for ${queue}`);
      return id;
    },
    isRunning: () => running,
    enqueueUnlessQueued: (trx, queue, data, options) => boss.send(queue, data, { ...options, db: viaKysely(trx) }),
    stop: async () => {
      running = false;
      // stop() can resolve before pg-boss has closed its pool; wait (bounded) for its 'stopped' event.
      // The bound must not outlive the wait: a pending 12 s timer would keep the process alive after close.
      const bound = new AbortController();
      const stopped = once(boss, 'stopped', { signal: bound.signal });
      try {
        await boss.stop({ graceful: true, timeout: 10_000 });
        await Promise.race([stopped, delay(12_000, undefined, { signal: bound.signal })]);
      } finally {
        bound.abort();
        stopped.catch(() => {});
      }
    },
  };
}
