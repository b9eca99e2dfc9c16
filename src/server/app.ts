/**
 * Builds the HTTP server: provider webhooks, the `/v1` API, `/openapi.json`
 * and `/health`, with one error handler that turns every failure into
 * `{"error":{"code","message"}}` and a status from `errors.ts`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { twilioRoutes } from '../webhooks/twilio/twilio.routes.js';
import { whatsAppRoutes } from '../webhooks/whatsapp/whatsapp.routes.js';
import { voiceRoutes } from '../webhooks/twilio/voice.routes.js';
import { callRoutes } from '../api/calls/calls.routes.js';
import { magicLinkRoutes } from '../portal/magic-link.routes.js';
import { portalApiRoutes } from '../portal/portal-api.routes.js';
import { portalAppRoutes } from '../web/portal-app.routes.js';
import cookie from '@fastify/cookie';
import { guardRoutes, type GuardedRoute } from '../auth/guard.js';
import { authRoutes } from '../api/auth/auth.routes.js';
import { pageRoutes } from '../pages/pages.routes.js';
import { staffAppRoutes } from '../web/staff-app.routes.js';
import { faviconRoutes } from '../web/favicon.routes.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import { conversationRoutes } from '../api/conversations/conversations.routes.js';
import { assignmentRoutes } from '../api/conversations/assignment.routes.js';
import { portalLinkRoutes } from '../api/conversations/portal-links.routes.js';
import { workOrderLinkRoutes } from '../api/conversations/work-order-link.routes.js';
import { workOrderRoutes } from '../api/work-orders/work-orders.routes.js';
import { customerRoutes } from '../api/customers/customers.routes.js';
import { integrationRoutes } from '../api/customers/integration.routes.js';
import { sarRoutes } from '../api/customers/sar.routes.js';
import { portalInviteRoutes } from '../api/customers/portal-invite.routes.js';
import { customerImportRoutes } from '../api/customers/import.routes.js';
import { whatsAppVerificationRoutes } from '../api/customers/whatsapp-verification.routes.js';
import { quickMessageRoutes } from '../api/quick-messages/quick-messages.routes.js';
import { messageRoutes } from '../api/messages/messages.routes.js';
import { templateRoutes } from '../api/templates/templates.routes.js';
import { spendRoutes } from '../api/spend/spend.routes.js';
import { approvalRoutes } from '../api/approvals/approvals.routes.js';
import { staffRoutes } from '../api/staff/staff.routes.js';
import { eventRoutes } from '../api/events/events.routes.js';
import { mediaRoutes, signedMediaRoutes } from '../api/media/media.routes.js';
import { attachmentRoutes } from '../api/media/attachment.routes.js';
import { aiRoutes } from '../api/ai/ai.routes.js';
import { settingsRoutes } from '../api/settings/settings.routes.js';
import { reminderUnsubscribeRoutes } from '../reminders/unsubscribe.routes.js';
import { operatorRoutes } from '../api/operator/organisations.routes.js';
import type { Realtime } from '../realtime/realtime.js';
import type { JobQueue } from '../jobs/queue.js';
import type { MediaStore } from '../media/store.js';
import { openMediaStore } from '../media/open-store.js';
import { AppError, errorBody } from './errors.js';
import { loggerOptions, type LogStream } from './log-redaction.js';
import { httpLimits } from './http-limits.js';
import { healthRoutes } from '../observability/health.routes.js';
import { observeWebhooks } from '../observability/webhook-metrics.js';
import type { Metrics } from '../observability/metrics.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerInputCleaning } from './clean-input.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /v1 route with the capability it requires. */
    guardedRoutes: GuardedRoute[];
  }
}

/** `logStream`: where log lines go (default stdout; tests capture them). */
export type AppDeps = { db: Kysely<Database>; config: Config; queue: JobQueue; realtime: Realtime; metrics: Metrics; logStream?: LogStream; mailer?: Mailer; media?: MediaStore };

export async function buildApp({ db, config, queue, realtime, metrics, logStream, mailer, media: givenMedia }: AppDeps): Promise<FastifyInstance> {
  const media = givenMedia ?? openMediaStore(config);
  const app = Fastify({ logger: loggerOptions(config.LOG_LEVEL, logStream), trustProxy: config.TRUST_PROXY, ...httpLimits(config) });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, request, reply) => {
    const error = err as Error & { statusCode?: number };
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.error(error);
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = first?.instancePath ? `${error.validationContext ?? ''}${first.instancePath}`.replace(/\//g, '.') : error.validationContext ?? 'request';
      return reply.status(400).send(errorBody('validation_failed', `${where}: ${first?.message ?? 'invalid'}`));
    }
    const status = error.statusCode;
    if (status === 413) return reply.status(413).send(errorBody('payload_too_large', `The request body is larger than ${config.HTTP_BODY_LIMIT_BYTES} bytes.`));
    if (status === 415) return reply.status(415).send(errorBody('unsupported_media_type', error.message));
    if (status && status >= 400 && status < 500) return reply.status(status).send(errorBody('malformed_payload', error.message));
    request.log.error(error);
    return reply.status(500).send(errorBody('internal_error', 'Something went wrong; nothing was acknowledged. Retry the request.'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url}.`)));

  await registerSecurityHeaders(app, config);
  registerInputCleaning(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Torqueflow Messaging API', version: '0.1.0', description: 'Shared garage inbox: conversations and messages across SMS, WhatsApp, portal and voice.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Organisation API token (tf_…), created with `npm run token -- create`; staff use the session cookie set by POST /auth/sign-in.' } } },
    },
    transform: jsonSchemaTransform,
  });

  const guardedRoutes: GuardedRoute[] = [];
  app.decorate('guardedRoutes', guardedRoutes);
  await app.register(async (scope) => healthRoutes(scope, { db, queue, metrics, config }));
  observeWebhooks(app, metrics);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => twilioRoutes(scope, { db, config, queue }));
  await app.register(async (scope) => voiceRoutes(scope, { db, config, queue }));
  await app.register(async (scope) => whatsAppRoutes(scope, { db, config, queue }));
  await app.register(async (scope) => magicLinkRoutes(scope, { db, config, queue }));
  await app.register(async (scope) => portalApiRoutes(scope, { db, config, queue, dispatcher: realtime.dispatcher, store: media }));
  await app.register(async (scope) => portalAppRoutes(scope, { db }));
  await app.register(async (scope) => authRoutes(scope, { db, config, mailer: mailer ?? createMailer(config, app.log) }));
  await app.register(async (scope) => pageRoutes(scope, { db }));
  await app.register(async (scope) => staffAppRoutes(scope, { db }));
  await app.register(async (scope) => faviconRoutes(scope));
  await app.register(async (scope) => signedMediaRoutes(scope, { db, config, store: media }));
  await app.register(async (scope) => reminderUnsubscribeRoutes(scope, { db }));
  await app.register(async (scope) => operatorRoutes(scope, { db, config }));
  await app.register(async (scope) => {
    guardRoutes(scope, db, guardedRoutes);
    await conversationRoutes(scope, { db });
    await assignmentRoutes(scope, { db });
    await portalLinkRoutes(scope, { db });
    await workOrderLinkRoutes(scope, { db });
    await workOrderRoutes(scope, { db });
    await customerRoutes(scope, { db });
    await integrationRoutes(scope, { db });
    await sarRoutes(scope, { db, store: media });
    await portalInviteRoutes(scope, { db, queue, config });
    await customerImportRoutes(scope, { db });
    await whatsAppVerificationRoutes(scope, { db, config });
    await quickMessageRoutes(scope, { db });
    await messageRoutes(scope, { db, queue, config });
    await templateRoutes(scope, { db, config });
    await spendRoutes(scope, { db });
    await approvalRoutes(scope, { db, queue, config });
    await staffRoutes(scope, { db });
    await eventRoutes(scope, { dispatcher: realtime.dispatcher, db });
    await mediaRoutes(scope, { db, store: media });
    await attachmentRoutes(scope, { db, store: media });
    await aiRoutes(scope, { db, config });
    await callRoutes(scope, { db, config, store: media });
    await settingsRoutes(scope, { db, config, queue });
  });
  return app;
}
