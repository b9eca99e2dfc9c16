/**
 * Issue 10 item 20: what an orchestrator and Prometheus ask a server instance.
 *
 * - `GET /health`: liveness only (the process answers HTTP); never touches
 *   the database, so a database outage does not get healthy instances killed.
 * - `GET /ready`: readiness: the database answers `SELECT 1` and the job
 *   queue (pg-boss, through its own connections on PostgreSQL) answers, each
 *   within `CHECK_TIMEOUT_MS`. 200 `{"status":"ready","checks":{…}}` or 503
 *   `{"status":"not_ready","checks":{"database":"ok","jobQueue":"…error…"}}`.
 * - `GET /metrics`: Prometheus text format (metrics.ts). With METRICS_TOKEN
 *   set it needs `Authorization: Bearer <METRICS_TOKEN>`; without, only
 *   loopback clients (a scraper on the same host, or through a proxy on it
 *   that sets X-Forwarded-For to the real client) may read it: 404 otherwise,
 *   so the endpoint is not advertised.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { isLoopbackHost, type Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { DELIVER_MESSAGE } from '../sending/queues.js';
import { errorBody } from '../server/errors.js';
import type { Metrics } from './metrics.js';

/** Longest a readiness check may take, in milliseconds. */
export const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS); })]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export async function healthRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; queue: JobQueue; metrics: Metrics; config: Config }): Promise<void> {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    const [database, jobQueue] = await Promise.all([
      check(() => sql`SELECT 1`.execute(deps.db)),
      check(async () => {
        if (!deps.queue.isRunning()) throw new Error('the job queue is stopped');
        if (!(await deps.queue.boss.getQueue(DELIVER_MESSAGE))) throw new Error(`queue ${DELIVER_MESSAGE} is missing`);
      }),
    ]);
    const ready = database === 'ok' && jobQueue === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, jobQueue } });
  });

  const token = deps.config.METRICS_TOKEN;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const allowed = token
      ? timingSafeEqual(digest(request.headers.authorization ?? ''), digest(`Bearer ${token}`))
      : isLoopbackHost(request.ip);
    if (!allowed) return reply.status(404).send(errorBody('not_found', `No route ${request.method} /metrics.`));
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
