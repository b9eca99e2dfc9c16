/**
 * Sending API:
 * - `POST /v1/conversations/{id}/messages`: compose a message (rules in src/sending/compose-message.ts);
 * - `POST /v1/messages/{id}/retry`: re-queue a message that the provider failed.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/queue.js';
import { composeMessage } from '../../sending/compose-message.js';
import { retryFailedMessage } from '../../sending/retry-message.js';
import { messageSchema } from '../conversations/conversation.presenter.js';
import { presentMessage } from './message.presenter.js';
import { sendMessageBody, sendMessageResponse, suppressedResponse } from './send-message.schema.js';

const security = [{ bearerAuth: [] }];

export async function messageRoutes(app: FastifyInstance, { db, queue, config }: { db: Kysely<Database>; queue: JobQueue; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS };

  r.post('/v1/conversations/:id/messages', {
    config: { capability: ['messages.send', 'messages.send_gated'] },
    schema: {
      summary: 'Send a message on a conversation',
      description: 'Applies consent, the WhatsApp 24-hour window, templates and the bridge SMS, then queues delivery. Blocked sends answer 422 with a code naming the rule and store nothing.',
      tags: ['messages'],
      security,
      params: z.object({ id: z.uuid() }),
      body: sendMessageBody,
      response: { 201: sendMessageResponse, 200: suppressedResponse },
    },
  }, async (request, reply) => {
    const b = request.body;
    const principal = request.principal;
    const result = await composeMessage(db, queue, request.orgId, {
      conversationId: request.params.id,
      sender: principal.kind === 'staff' ? { type: 'staff', userId: principal.userId } : b.sender,
      gated: !principal.capabilities.has('messages.send'),
      category: b.category,
      ...(b.channel ? { channel: b.channel } : {}),
      ...(b.body !== undefined ? { body: b.body } : {}),
      ...(b.template ? { template: { name: b.template.name, params: b.template.params, ...(b.template.language ? { language: b.template.language } : {}) } } : {}),
      ...(b.subject ? { subject: b.subject } : {}),
    }, settings);
    if (result.outcome === 'suppressed') return reply.status(200).send(result);
    return reply.status(201).send({
      outcome: result.outcome,
      message: presentMessage(result.message),
      bridge: result.outcome === 'bridged' ? presentMessage(result.bridge) : null,
    });
  });

  r.post('/v1/messages/:id/retry', {
    config: { capability: 'messages.send' },
    schema: {
      summary: 'Retry a message the provider failed',
      tags: ['messages'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: messageSchema },
    },
  }, async (request) => presentMessage(await retryFailedMessage(db, queue, request.orgId, request.params.id)));
}
