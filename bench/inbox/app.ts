/**
 * The real app (`assembleApp`, src/server/start.ts) over the benchmark
 * database, listening on 127.0.0.1, with its Kysely instance logging every
 * statement to a `QueryRecorder`; plus a staff session for "me" in an
 * organisation, as sign-in would create it, and a keep-alive HTTP client
 * with a single connection (one user clicking through the inbox).
 */
import http from 'node:http';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { newSecret, sha256 } from '../../src/auth/tokens.js';
import { SESSION_COOKIE } from '../../src/auth/principal.js';
import { openDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { assembleApp } from '../../src/server/start.js';
import { QueryRecorder } from './recorder.js';

export type HttpAnswer = { status: number; body: string; ms: number };

export type BenchApp = {
  recorder: QueryRecorder;
  /** The app's own Kysely instance (owner role). */
  db: Kysely<Database>;
  /** GET `path` with the given cookie; `ms` is send → last byte of the body. */
  get: (path: string, cookie: string) => Promise<HttpAnswer>;
  close: () => Promise<void>;
};

/** Start the app on `databaseUrl` with a pool of `poolMax`. */
export async function startBenchApp(databaseUrl: string, poolMax: number): Promise<BenchApp> {
  const recorder = new QueryRecorder();
  const database = openDatabase({ databaseUrl, poolMax, log: recorder.log });
  const { db } = database;
  const config = loadConfig({ DATABASE_URL: databaseUrl, DB_POOL_MAX: String(poolMax), SEED_DEMO: 'false', RUN_WORKER: 'false', LOG_LEVEL: 'silent' });
  const { app, queue } = await assembleApp(database, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app did not bind a TCP port');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const get = (path: string, cookie: string) => new Promise<HttpAnswer>((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ agent, host: '127.0.0.1', port: address.port, method: 'GET', path, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

  return {
    recorder,
    db,
    get,
    close: async () => {
      agent.destroy();
      await app.close();
      await queue.stop();
      await database.close();
    },
  };
}

/** A 12-hour session for staff user `userId`, as `signIn` stores it; returns the Cookie header value. */
export async function staffSessionCookie(db: Kysely<Database>, orgId: string, userId: string): Promise<string> {
  const token = newSecret();
  await db.insertInto('staff_sessions').values({ org_id: orgId, user_id: userId, token_hash: sha256(token), expires_at: new Date(Date.now() + 12 * 3_600_000) }).execute();
  return `${SESSION_COOKIE}=${token}`;
}
