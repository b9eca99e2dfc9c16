/**
 * Starts the real app on 127.0.0.1 with an ephemeral port over a fresh test
 * database. Providers are told the server lives at PUBLIC_BASE_URL
 * (`https://example.com`, as behind a TLS proxy), so requests are signed for
 * that URL and sent to the local port. Media goes to a temporary folder
 * (removed by `close()`) unless MEDIA_DIR is given.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { assembleApp } from '../../src/server/start.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import type { LogStream } from '../../src/server/log-redaction.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const PUBLIC_BASE_URL = 'https://example.com';
export const WHATSAPP_APP_SECRET = 'TEST_APP_SECRET';
/** Seals provider credentials in test servers (not the demo key: child servers with an https PUBLIC_BASE_URL refuse the demo key). */
export const CREDENTIALS_ENCRYPTION_KEY = Buffer.from('torqueflow-test-credentials-key!').toString('base64');
export const WHATSAPP_VERIFY_TOKEN = 'test-verify-token';

export type TestServer = {
  app: FastifyInstance;
  database: TestDatabase;
  db: TestDatabase['db'];
  config: Config;
  queue: JobQueue;
  /** Where the server really listens, e.g. http://127.0.0.1:40123 */
  baseUrl: string;
  close: () => Promise<void>;
};

/**
 * @param options.logStream receives the server's log lines (set LOG_LEVEL in `env` to see them)
 * @param options.database a migrated database to serve instead of a fresh one (closed with the server)
 */
export async function startTestServer(env: Record<string, string> = {}, options: { logStream?: LogStream; database?: TestDatabase } = {}): Promise<TestServer> {
  const database = options.database ?? await createTestDatabase();
  const mediaDir = env.MEDIA_DIR ? null : await mkdtemp(join(tmpdir(), 'tf-media-'));
  const config = loadConfig({
    ...(mediaDir ? { MEDIA_DIR: mediaDir } : {}),
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET,
    CREDENTIALS_ENCRYPTION_KEY,
    WHATSAPP_VERIFY_TOKEN,
    SEED_DEMO: 'false',
    DEMO_AI_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const { app, queue } = await assembleApp(database, config, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  return {
    app,
    database,
    db: database.db,
    config,
    queue,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await queue.stop();
      await database.close();
      if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
    },
  };
}
