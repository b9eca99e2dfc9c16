/**
 * `GET /portal/api/events`: the signed-in customer's real-time stream
 * (issue 11 item 3), the staff stream's machinery (src/realtime/event-stream.ts:
 * gap-free order, `Last-Event-ID` resume, keep-alives, resync) over the
 * organisation's event log, filtered to the customer's conversation and to
 * what a customer may see (`portalEventFor`, src/domain/portal-thread.ts):
 * `{ type, messageId }` for their messages, `{ type: 'conversation.read' }`
 * when the garage read the thread. Nothing of an event's payload (bodies of
 * notes, failure reasons, staff ids) is forwarded.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCursor } from '../realtime/cursor.js';
import type { EventDispatcher } from '../realtime/dispatcher.js';
import { serveEventStream, type StreamAudience } from '../realtime/event-stream.js';
import { portalEventFor } from '../domain/portal-thread.js';
import { AppError } from '../server/errors.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findPortalSession, PORTAL_COOKIE, type PortalSession } from './portal-session.js';

/** The stream audience of one customer's session. */
export function customerAudience(session: PortalSession): StreamAudience {
  return {
    orgId: session.orgId,
    present: (event) => {
      if (event.conversationId !== session.conversationId) return null;
      const shown = portalEventFor(event.type, event.payload);
      return shown ? { type: shown.type, conversationId: event.conversationId, payload: shown.messageId ? { messageId: shown.messageId } : {} } : null;
    },
  };
}

/**
 * Serve the stream; it ends within seconds of the session ending (sign-out,
 * the link revoked or expired), as the staff stream does (issue 10 item 9).
 */
export async function servePortalEvents(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, dispatcher: EventDispatcher, queryCursor: string | undefined): Promise<void> {
  const header = request.headers['last-event-id'];
  const text = (Array.isArray(header) ? header[0] : header) ?? queryCursor;
  const resumeFrom = text && text.trim() !== '' ? parseCursor(text) : null;
  if (text && text.trim() !== '' && !resumeFrom) throw new AppError('validation_failed', 'Last-Event-ID is not an event id of this stream.');
  if (!String(request.headers.accept ?? '').includes('text/event-stream')) throw new AppError('validation_failed', 'This is an event stream: send "Accept: text/event-stream".');
  reply.hijack();
  await serveEventStream(reply.raw, {
    dispatcher,
    audience: customerAudience(request.portal),
    resumeFrom,
    onError: (err) => request.log.error({ err }, 'portal real-time catch-up failed; the stream was ended'),
    reauthorise: async () => {
      const token = request.cookies[PORTAL_COOKIE];
      const session = token ? await findPortalSession(db, token, new Date()) : null;
      return session?.sessionId === request.portal.sessionId;
    },
  });
}
