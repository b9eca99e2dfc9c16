/**
 * Starting the service: open the database chosen by configuration, apply
 * migrations, refuse a reachable server with demo secrets or accounts in force
 * (demo-refusal.ts), seed the demo garage into an empty database when enabled
 * (and issue the replay's portal link, src/seed/demo-portal-link.ts),
 * start the job queue and (with RUN_WORKER) the sending workers, and build
 * the app. Closing the app stops the queue, then closes the database.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDemoIfEmpty, type DemoSeed } from '../seed/demo.js';
import { issueDemoPortalLink } from '../seed/demo-portal-link.js';
import { startJobQueue, type JobQueue } from '../jobs/queue.js';
import { sendingQueues } from '../sending/queues.js';
import { aiQueues } from '../ai/queue.js';
import { startAiWorker } from '../ai/worker.js';
import { aiDriverFor } from '../ai/registry.js';
import { startSendingWorkers } from '../sending/workers.js';
import { startVoiceWorkers, voiceQueues } from '../voice/recording-download.job.js';
import { reminderQueues } from '../reminders/reminder-queues.js';
import { registerReminderMetrics } from '../reminders/reminder-metrics.js';
import { startReminderWorkers } from '../reminders/reminder-workers.js';
import type { Mailer } from '../mail/mailer.js';
import { buildApp } from './app.js';
import { createMetrics } from '../observability/metrics.js';
import type { LogStream } from './log-redaction.js';
import { startRealtime, type Realtime } from '../realtime/realtime.js';
import { startCountCompaction } from '../inbox/conversation-counts.js';
import { encryptStoredCredentials } from '../channels/credentials/encrypt-stored.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { refuseDemoOnPublicHost, type DemoFinding } from './demo-refusal.js';
import { openMediaStore } from '../media/open-store.js';
import { mediaQueues } from '../media/queues.js';
import { startMediaWorkers } from '../media/workers.js';
import { moveLegacyRecordings } from '../voice/move-legacy-recordings.js';

export type Started = {
  app: FastifyInstance;
  database: DatabaseHandle;
  queue: JobQueue;
  demo: DemoSeed | null;
  /** Demo secrets and accounts in force on a reachable server, let through by ALLOW_DEMO_ON_PUBLIC_HOST (log them loudly). */
  insecureDemo: DemoFinding[];
};

/**
 * The app over an open, migrated database, with its job queue and workers.
 * The real-time dispatcher (GET /v1/events) and the periodic compaction of
 * the inbox count deltas stop with the app (preClose);
 * the caller owns the rest of shutdown: stop `queue`, then close the database.
 * @param options.mailer overrides the mailer built from configuration (tests)
 * @param options.logStream receives the log lines instead of stdout (tests)
 */
export async function assembleApp(database: DatabaseHandle, config: Config, options: { mailer?: Mailer; logStream?: LogStream } = {}): Promise<{ app: FastifyInstance; queue: JobQueue }> {
  // Plaintext (pre-0011) or previous-key credentials are sealed with the current key before anything reads them.
  await encryptStoredCredentials(database.db, secretBoxFor(config));
  const queues = { ...sendingQueues(config), ...mediaQueues(), ...aiQueues(config), ...voiceQueues(config), ...reminderQueues };
  const queue = await startJobQueue(database, queues);
  const media = openMediaStore(config);
  // Recordings stored in PostgreSQL before migration 0015 move to the media store.
  await moveLegacyRecordings(database.db, media);
  let realtime: Realtime | undefined;
  try {
    realtime = await startRealtime(database, config);
    const metrics = createMetrics(database.db, realtime.dispatcher.clients);
    for (const name of Object.keys(queues)) metrics.trackJobQueue(name);
    registerReminderMetrics(metrics.registry, database.db);
    if (config.RUN_WORKER) await startSendingWorkers({ db: database.db, queue, config, metrics });
    if (config.RUN_WORKER) await startVoiceWorkers({ db: database.db, queue, config, store: media });
    if (config.RUN_WORKER) await startReminderWorkers({ db: database.db, queue, config });
    if (config.RUN_WORKER) await startMediaWorkers({ db: database.db, queue, config, store: media });
    if (config.RUN_WORKER) await startAiWorker({ db: database.db, queue, config, driver: aiDriverFor(config) });
    const app = await buildApp({ db: database.db, config, queue, realtime, media, metrics, ...options });
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
    ? openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: config.DB_POOL_MAX, preparedStatements: config.DB_PREPARED_STATEMENTS })
    : openDatabase({ dataDir: options.dataDir === undefined ? config.DATA_DIR : options.dataDir, sharedBuffers: config.PGLITE_SHARED_BUFFERS });
  try {
    await migrateToLatest(database.db);
    const insecureDemo = await refuseDemoOnPublicHost(database.db, config);
    const demo = config.SEED_DEMO ? await seedDemoIfEmpty(database.db, config) : null;
    // The replay's customer receives a fresh magic link at every demo start (src/seed/demo-portal-link.ts).
    if (config.SEED_DEMO) await issueDemoPortalLink(database.db, config);
    const { app, queue } = await assembleApp(database, config);
    app.addHook('onClose', async () => {
      await queue.stop();
      await database.close();
    });
    return { app, database, queue, demo, insecureDemo };
  } catch (err) {
    await database.close();
    throw err;
  }
}
