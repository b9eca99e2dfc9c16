/**
 * `GET /v1/events` (capability `messages.view`): the signed-in user's or
 * token's real-time stream, `text/event-stream` (docs/inbox-api.md,
 * "Real-time"; spec: messaging-inbox.txt, "the inbox updates in real time").
 *
 * - Resume with the `Last-Event-ID` header, or the `lastEventId` query
 *   parameter for clients that cannot set headers (the header wins). A
 *   malformed one is refused with `400 validation_failed`, since silently
 *   starting live would lose events the client believes it will receive.
 * - The stream ends within seconds once its session or token no longer
 *   holds (sign-out, disabled user, password reset, revoked token) or its
 *   role's capabilities change (src/realtime/event-stream.ts).
 * - The request must accept `text/event-stream` (EventSource always sends
 *   it): a plain JSON client would otherwise wait on a response that never
 *   ends. Refused with `400 validation_failed`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { reauthenticate, sameAccess } from '../../auth/guard.js';
import { parseCursor, type Cursor } from '../../realtime/cursor.js';
import type { EventDispatcher } from '../../realtime/dispatcher.js';
import { serveEventStream } from '../../realtime/event-stream.js';
import { staffAudience } from '../../realtime/event-access.js';
import { AppError } from '../../server/errors.js';

const EVENT_STREAM = 'text/event-stream';

function resumeCursor(header: string | string[] | undefined, query: string | undefined): Cursor | null {
  const text = (Array.isArray(header) ? header[0] : header) ?? query;
  if (text === undefined || text.trim() === '') return null;
  const cursor = parseCursor(text);
  if (!cursor) throw new AppError('validation_failed', `Last-Event-ID "${text.slice(0, 64)}" is not an event id of this stream (expected "<tx>-<id>", as sent in "id:").`);
  return cursor;
}

/** Register `GET /v1/events`, served from this instance's `dispatcher`. */
export async function eventRoutes(app: FastifyInstance, { dispatcher, db }: { dispatcher: EventDispatcher; db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/events', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Real-time inbox events (server-sent events)',
      description: 'A text/event-stream of the organisation\'s events: message.created, message.status, conversation.read, conversation.assigned, conversation.work_order, approval.requested and approval.decided (approval.* only with messages.approve), and resync when the Last-Event-ID is older than the retained log.',
      tags: ['events'],
      security: [{ bearerAuth: [] }],
      querystring: z.object({ lastEventId: z.string().max(64).optional().describe('Resume after this event id, for clients that cannot send the Last-Event-ID header') }),
    },
  }, async (request, reply) => {
    const resumeFrom = resumeCursor(request.headers['last-event-id'], request.query.lastEventId);
    if (!String(request.headers.accept ?? '').includes(EVENT_STREAM)) {
      throw new AppError('validation_failed', `This is an event stream: send "Accept: ${EVENT_STREAM}" (EventSource does).`);
    }
    reply.hijack();
    await serveEventStream(reply.raw, {
      dispatcher,
      audience: staffAudience(request.principal),
      resumeFrom,
      onError: (err) => request.log.error({ err }, 'real-time catch-up failed; the stream was ended'),
      reauthorise: async () => {
        const now = await reauthenticate(db, request);
        return now !== null && sameAccess(now, request.principal);
      },
    });
  });
}
