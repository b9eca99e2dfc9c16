/**
 * Issue 10 item 20: Prometheus metrics of one server instance (prom-client),
 * served at GET /metrics (health.routes.ts). One registry per app, so tests
 * running several apps in one process keep theirs apart.
 *
 * | Metric | Type | Labels |
 * |---|---|---|
 * | `torqueflow_webhooks_total` | counter | provider, route, status (HTTP status answered) |
 * | `torqueflow_webhook_duration_seconds` | histogram | provider, route, status |
 * | `torqueflow_deliveries_total` | counter | channel, outcome (`accepted`, `retrying`, `failed`), error_code (provider code or `none`) |
 * | `torqueflow_job_queue_depth` | gauge | queue: jobs due and waiting for a worker (`deliver-message` is the outbox) |
 * | `torqueflow_job_queue_oldest_age_seconds` | gauge | queue: how long the oldest due job has waited |
 * | `torqueflow_realtime_clients` | gauge | — connected GET /v1/events streams |
 * | `torqueflow_reminders_queued`, `torqueflow_reminders_oldest_queued_age_seconds` | gauge | — unread-reminder backlog (src/reminders/reminder-metrics.ts) |
 * | `torqueflow_process_*`, `nodejs_*` | prom-client defaults | — |
 *
 * Other areas add their job backlogs with `metrics.trackJobQueue(name)` (the
 * pg-boss queue name) when they start their workers, or register their own
 * metrics on `metrics.registry` (names prefixed `torqueflow_`).
 * The queue gauges are read from the pg-boss tables at scrape time.
 */
import { sql, type Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/schema.js';
import { JOB_SCHEMA } from '../jobs/queue.js';

export type DeliveryOutcome = 'accepted' | 'retrying' | 'failed';

export type Metrics = {
  registry: Registry;
  /** Record one answered webhook request. */
  webhook(provider: string, route: string, status: number, seconds: number): void;
  /** Record one delivery attempt's result. */
  delivery(channel: string, outcome: DeliveryOutcome, errorCode: string | null): void;
  /** Report the depth and oldest age of pg-boss queue `queue` (idempotent). */
  trackJobQueue(queue: string): void;
};

type Backlog = { queue: string; depth: number; oldest_seconds: number | null };

/**
 * @param db the database holding the pg-boss schema
 * @param realtimeClients how many event streams are connected right now
 */
export function createMetrics(db: Kysely<Database>, realtimeClients: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'torqueflow_' });
  const queues = new Set<string>();

  const webhooks = new Counter({ name: 'torqueflow_webhooks_total', help: 'Provider webhook requests answered, by provider, route and HTTP status.', labelNames: ['provider', 'route', 'status'], registers: [registry] });
  const webhookSeconds = new Histogram({
    name: 'torqueflow_webhook_duration_seconds', help: 'Time from request to answer of provider webhooks (the answer follows the commit).',
    labelNames: ['provider', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const deliveries = new Counter({ name: 'torqueflow_deliveries_total', help: 'Outbound delivery attempts, by channel, outcome and provider error code.', labelNames: ['channel', 'outcome', 'error_code'], registers: [registry] });

  // One read of the pg-boss tables per scrape serves both queue gauges.
  let reading: Promise<Backlog[]> | null = null;
  const backlog = (): Promise<Backlog[]> => {
    reading ??= sql<Backlog>`
      SELECT q.queue, count(j.id)::int AS depth, extract(epoch FROM now() - min(j.start_after))::float8 AS oldest_seconds
      FROM unnest(${[...queues]}::text[]) AS q(queue)
      LEFT JOIN ${sql.id(JOB_SCHEMA, 'job')} j ON j.name = q.queue AND j.state IN ('created', 'retry') AND j.start_after <= now()
      GROUP BY q.queue`.execute(db).then((r) => r.rows).finally(() => { setImmediate(() => { reading = null; }); });
    return reading;
  };
  new Gauge({
    name: 'torqueflow_job_queue_depth', help: 'Jobs due and waiting for a worker, per queue (deliver-message is the outbox).', labelNames: ['queue'], registers: [registry],
    async collect() {
      this.reset();
      for (const b of await backlog()) this.set({ queue: b.queue }, b.depth);
    },
  });
  new Gauge({
    name: 'torqueflow_job_queue_oldest_age_seconds', help: 'Seconds the oldest due job of each queue has waited (0 when none).', labelNames: ['queue'], registers: [registry],
    async collect() {
      this.reset();
      for (const b of await backlog()) this.set({ queue: b.queue }, Math.max(0, b.oldest_seconds ?? 0));
    },
  });
  new Gauge({
    name: 'torqueflow_realtime_clients', help: 'Connected real-time event streams (GET /v1/events) on this instance.', registers: [registry],
    collect() { this.set(realtimeClients()); },
  });

  return {
    registry,
    webhook: (provider, route, status, seconds) => {
      const labels = { provider, route, status: String(status) };
      webhooks.inc(labels);
      webhookSeconds.observe(labels, seconds);
    },
    delivery: (channel, outcome, errorCode) => deliveries.inc({ channel, outcome, error_code: errorCode ?? 'none' }),
    trackJobQueue: (queue) => { queues.add(queue); },
  };
}
