/**
 * Starting the service: open the database chosen by configuration, apply
 * migrations, seed the demo garage into an empty database when enabled,
 * start the job queue and (with RUN_WORKER) the sending workers, and build
 * the app. Closing the app stops the queue, then closes the database.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDemoIfEmpty, type DemoSeed } from '../seed/demo.js';
import { startJobQueue, type JobQueue } from '../jobs/queue.js';
import { sendingQueues } from '../sending/queues.js';
import { startSendingWorkers } from '../sending/workers.js';
import type { Mailer } from '../mail/mailer.js';
import { buildApp } from './app.js';
import { startRealtime, type Realtime } from '../realtime/realtime.js';
import { startCountCompaction } from '../inbox/conversation-counts.js';

export type Started = { app: FastifyInstance; database: DatabaseHandle; queue: JobQueue; demo: DemoSeed | null };

/**
 * The app over an open, migrated database, with its job queue and workers.
 * The real-time dispatcher (GET /v1/events) and the periodic compaction of
 * the inbox count deltas stop with the app (preClose);
 * the caller owns the rest of shutdown: stop `queue`, then close the database.
 * @param mailer overrides the mailer built from configuration (tests)
 */
export async function assembleApp(database: DatabaseHandle, config: Config, mailer?: Mailer): Promise<{ app: FastifyInstance; queue: JobQueue }> {
  const queue = await startJobQueue(database, sendingQueues(config));
  let realtime: Realtime | undefined;
  try {
    realtime = await startRealtime(database, config);
    if (config.RUN_WORKER) await startSendingWorkers({ db: database.db, queue, config });
    const app = await buildApp({ db: database.db, config, queue, realtime, ...(mailer ? { mailer } : {}) });
    app.addHook('preClose', realtime.close);
    const compaction = startCountCompaction(database.db, app.log);
    app.addHook('preClose', compaction.stop);
    return { app, queue };
  } catch (err) {
    await realtime?.close();
    await queue.stop();
    throw err;
  }
}

/**
 * @param dataDir override for the embedded database folder; null keeps it in memory
 */
export async function startServer(config: Config, options: { dataDir?: string | null } = {}): Promise<Started> {
  const database = config.DATABASE_URL
    ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: config.DB_POOL_MAX })
    : openDatabase({ dataDir: options.dataDir === undefined ? config.DATA_DIR : options.dataDir });
  try {
    await migrateToLatest(database.db);
    const demo = config.SEED_DEMO ? await seedDemoIfEmpty(database.db, config) : null;
    const { app, queue } = await assembleApp(database, config);
    app.addHook('onClose', async () => {
      await queue.stop();
      await database.close();
    });
    return { app, database, queue, demo };
  } catch (err) {
    await database.close();
    throw err;
  }
}
