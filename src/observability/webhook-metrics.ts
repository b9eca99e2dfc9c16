/**
 * Counts and times every provider webhook request (metrics.ts:
 * `torqueflow_webhooks_total`, `torqueflow_webhook_duration_seconds`): a route
 * under `/twilio/` or `/whatsapp/` is labelled by provider and the rest of its
 * path (`sms`, `status`, `webhook`, and whatever routes are added there
 * later), with the HTTP status answered (2xx acknowledged after commit, 4xx
 * refused, 5xx failed so the provider retries). Unknown paths are not
 * counted (their 404 is not a provider's webhook).
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

const WEBHOOK_ROUTE = /^\/(twilio|whatsapp)\/(.+)$/;

export function observeWebhooks(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const match = WEBHOOK_ROUTE.exec(request.routeOptions.url ?? '');
    if (!match || request.method !== 'POST') return;
    metrics.webhook(match[1]!, match[2]!, reply.statusCode, reply.elapsedTime / 1000);
  });
}
