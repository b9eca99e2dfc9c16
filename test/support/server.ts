/**
 * Starts the real app on 127.0.0.1 with an ephemeral port over a fresh test
 * database. Providers are told the server lives at PUBLIC_BASE_URL
 * (`https://example.com`, as behind a TLS proxy), so requests are signed for
 * that URL and sent to the local port.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { assembleApp } from '../../src/server/start.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const PUBLIC_BASE_URL = 'https://example.com';
export const WHATSAPP_APP_SECRET = 'TEST_APP_SECRET';
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

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const { app, queue } = await assembleApp(database, config);
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
    },
  };
}
