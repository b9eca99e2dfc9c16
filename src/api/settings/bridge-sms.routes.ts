/**
 * `POST /v1/conversations/{id}/bridge-sms` (capability `messages.send`): the
 * expired-window composer's "Send a bridge SMS" action (spec:
 * whatsapp-24-hour-window.txt, "the simplest workaround is a bridge SMS").
 * Runs exactly the bridge rule and dedup of a free-form message into a
 * closed window (`src/sending/bridge.ts`), without a failed WhatsApp message
 * beside it:
 * - `200 {"outcome":"sent","bridge":…}`: the SMS is queued;
 * - `200 {"outcome":"recently_sent","lastBridgeSentAt":…}`: one went out in
 *   the last 24 hours, nothing sent;
 * - `422 channel_unavailable` naming why no bridge is possible (no phone,
 *   SMS opt-out, no SMS number), or that the window is open (reply instead).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import type { JobQueue } from '../../jobs/queue.js';
import { windowState } from '../../domain/whatsapp-window.js';
import { bridgeInstead } from '../../sending/bridge.js';
import { loadSendContext } from '../../sending/send-context.js';
import { AppError } from '../../server/errors.js';
import { messageSchema } from '../conversations/conversation.presenter.js';
import { presentMessage } from '../messages/message.presenter.js';
import { canSeeContact } from '../../auth/redaction.js';

const BLOCKED: Record<string, string> = {
  window_expired_no_phone: 'No bridge SMS: the customer has no phone number on file.',
  window_expired_sms_opted_out: 'No bridge SMS: the customer has opted out of SMS (replied STOP).',
  window_expired_no_sms_number: 'No bridge SMS: the garage has no SMS number set up.',
  window_expired_consent_blocked: 'No bridge SMS: the customer\'s consent does not allow this message (for example, work order updates are off and no work order is active).',
};

export async function bridgeSmsRoutes(app: FastifyInstance, { db, config, queue }: { db: Kysely<Database>; config: Config; queue: JobQueue }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/conversations/:id/bridge-sms', {
    config: { capability: 'messages.send' },
    schema: {
      summary: 'Send a bridge SMS (WhatsApp window expired)',
      tags: ['messages'],
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
      response: {
        200: z.object({ outcome: z.enum(['sent', 'recently_sent']), bridge: messageSchema.nullable(), lastBridgeSentAt: z.string().nullable() }),
      },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const now = new Date();
    const ctx = await loadSendContext(trx, request.orgId, request.params.id);
    if (!ctx) throw new AppError('not_found', 'No such conversation.');
    if (windowState(ctx.conversation.whatsapp_window_expires_at, now) === 'open') {
      throw new AppError('channel_unavailable', 'The WhatsApp window is open: reply on WhatsApp instead.');
    }
    const outcome = await bridgeInstead(trx, queue, ctx, { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS }, now);
    if (outcome.action === 'blocked') throw new AppError('channel_unavailable', BLOCKED[outcome.reason] ?? outcome.reason);
    if (outcome.action === 'suppressed') {
      return { outcome: 'recently_sent' as const, bridge: null, lastBridgeSentAt: ctx.conversation.last_bridge_sent_at?.toISOString() ?? null };
    }
    return { outcome: 'sent' as const, bridge: presentMessage(outcome.bridge, canSeeContact(request.principal)), lastBridgeSentAt: now.toISOString() };
  }));
}
