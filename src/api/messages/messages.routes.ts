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
import { canSeeContact } from '../../auth/redaction.js';
import { sendMessageBody, sendMessageResponse, suppressedResponse, type SendMessageBody } from './send-message.schema.js';
import type { Principal } from '../../auth/principal.js';
import type { Sender } from '../../sending/outbound-message.js';
import { AppError } from '../../server/errors.js';
import { bridgeSettings } from '../../sending/bridge.js';

const security = [{ bearerAuth: [] }];

/**
 * Who a message is from: signed-in staff always send as themselves; an API
 * token sends as itself, a named integration, never as a staff member
 * (issue 10 item 12), or as the AI or the system when it says so.
 * @throws AppError sender_not_allowed when a token names a staff user
 */
function senderFor(principal: Principal, asked: SendMessageBody['sender']): Sender {
  if (principal.kind === 'staff') return { type: 'staff', userId: principal.userId };
  if (asked.type !== 'staff') return asked;
  if (asked.userId) throw new AppError('sender_not_allowed', 'An API token sends as itself (its name is shown as the sender): leave out sender.userId.');
  return { type: 'integration', tokenId: principal.tokenId! };
}

export async function messageRoutes(app: FastifyInstance, { db, queue, config }: { db: Kysely<Database>; queue: JobQueue; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = bridgeSettings(config);

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
      sender: senderFor(principal, b.sender),
      gated: !principal.capabilities.has('messages.send'),
      category: b.category,
      ...(b.channel ? { channel: b.channel } : {}),
      ...(b.body !== undefined ? { body: b.body } : {}),
      ...(b.template ? { template: { name: b.template.name, params: b.template.params, ...(b.template.language ? { language: b.template.language } : {}) } } : {}),
      ...(b.subject ? { subject: b.subject } : {}),
      ...(b.mediaIds ? { mediaIds: b.mediaIds } : {}),
    }, settings);
    if (result.outcome === 'suppressed') return reply.status(200).send(result);
    return reply.status(201).send({
      outcome: result.outcome,
      message: presentMessage(result.message, canSeeContact(principal)),
      bridge: result.outcome === 'bridged' ? presentMessage(result.bridge, canSeeContact(principal)) : null,
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
  }, async (request) => presentMessage(await retryFailedMessage(db, queue, request.orgId, request.params.id), canSeeContact(request.principal)));
}
