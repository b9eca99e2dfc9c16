/**
 * `POST /v1/customers/{id}/portal-invite` {channel: sms|email}: "Send portal
 * invite" (src/customers/portal-invite.ts): a fresh magic link by SMS or
 * e-mail through the usual send rules. Capability `messages.send` (not
 * `messages.send_gated`: technicians, who see no contact details, do not
 * invite customers).
 * Answers 201 {outcome, messageId, conversationId}; a refused send answers
 * 422 with the rule's code (e.g. channel_unavailable, sms_opted_out) and stores nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import type { JobQueue } from '../../jobs/queue.js';
import { bridgeSettings } from '../../sending/bridge.js';
import { sendPortalInvite } from '../../customers/portal-invite.js';
import { AppError } from '../../server/errors.js';

export async function portalInviteRoutes(app: FastifyInstance, { db, queue, config }: { db: Kysely<Database>; queue: JobQueue; config: Config }): Promise<void> {
  const settings = bridgeSettings(config);
  app.withTypeProvider<ZodTypeProvider>().post('/v1/customers/:id/portal-invite', {
    config: { capability: 'messages.send' },
    schema: {
      summary: 'Send the customer a portal invite (a fresh magic link by SMS or e-mail)',
      description: 'Goes through the consent gate and the usual send rules as a transactional message; refused sends answer 422 with the rule code and store nothing.',
      tags: ['customers'], security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
      body: z.object({ channel: z.enum(['sms', 'email']) }),
      response: { 201: z.object({ outcome: z.enum(['queued', 'pending_approval', 'bridged', 'failed']), messageId: z.uuid(), conversationId: z.uuid() }) },
    },
  }, async (request, reply) => {
    const { principal } = request;
    const result = await withTenant(db, request.orgId, (trx) => sendPortalInvite(trx, queue, request.orgId, request.params.id, {
      channel: request.body.channel,
      sender: principal.kind === 'staff' ? { type: 'staff', userId: principal.userId } : { type: 'integration', tokenId: principal.tokenId! },
      gated: false,
    }, settings, new Date()));
    if (result.outcome === 'suppressed') throw new AppError('internal_error', 'The invite was suppressed.');
    return reply.status(201).send({ outcome: result.outcome, messageId: result.message.id, conversationId: result.message.conversation_id });
  });
}
