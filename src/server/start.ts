/**
 * Opens the database chosen by configuration, applies migrations, seeds the
 * demo garage into an empty database when enabled, and builds the app.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDemoIfEmpty, type DemoSeed } from '../seed/demo.js';
import { startJobQueue, type JobQueue } from '../jobs/queue.js';
import { sendingQueues } from '../sending/queues.js';
import { startSendingWorkers } from '../sending/workers.js';
import { buildApp } from './app.js';

export type Started = { app: FastifyInstance; database: DatabaseHandle; queue: JobQueue; demo: DemoSeed | null };

/**
 * @param dataDir override for the embedded database folder; null keeps it in memory
 */
export async function startServer(config: Config, options: { dataDir?: string | null } = {}): Promise<Started> {
  const database = config.DATABASE_URL
    ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: config.DB_POOL_MAX })
    : openDatabase({ dataDir: options.dataDir === undefined ? config.DATA_DIR : options.dataDir });
  let queue: JobQueue | null = null;
  try {
    await migrateToLatest(database.db);
    const demo = config.SEED_DEMO ? await seedDemoIfEmpty(database.db, config) : null;
    queue = await startJobQueue(database, sendingQueues(config));
    if (config.RUN_WORKER) await startSendingWorkers({ db: database.db, queue, config });
    const app = await buildApp({ db: database.db, config, queue });
    const started = queue;
    app.addHook('onClose', async () => {
      await started.stop();
      await database.close();
    });
    return { app, database, queue, demo };
  } catch (err) {
    await queue?.stop();
    await database.close();
    throw err;
  }
}
