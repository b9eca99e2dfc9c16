/**
 * One signed-in client's server-sent-events stream (issue 5 item 7;
 * docs/inbox-api.md, "Real-time"): its organisation's events, filtered and
 * redacted for its principal (event-access.ts), in (tx, id) order, each
 * exactly once.
 *
 * Start without a cursor: live from now (the dispatcher's position is sent
 * as a bare `id:` so that an early reconnection resumes from there).
 * Resume after `Last-Event-ID`: the stream registers with the dispatcher
 * first, buffering live events, then reads the organisation's missed events
 * from the log, sends them, then sends the buffered events after the last
 * one sent and continues live. Every event after the cursor is either in
 * the log read or in the buffer, and an event at or before the last one
 * sent is skipped, so nothing is lost or repeated. A cursor from before the
 * retention horizon (or from the future) gets one `resync` event instead of
 * the catch-up, then the stream continues live.
 *
 * A comment line every `KEEP_ALIVE_MS`; every `REAUTHORISE_MS` the stream
 * re-checks its credentials against the database (`reauthorise`) and ends
 * when they no longer hold or grant the same access (sign-out, disabled
 * user, password reset, revoked token, changed role: issue 10 item 9; the
 * client reconnects and authenticates afresh, or is refused); a stream ends after
 * `MAX_LIFETIME_MS` (the client reconnects, re-authenticates and resumes), when its client falls
 * more than `MAX_BUFFERED_BYTES` behind (it resumes from the log), or when
 * the server closes.
 */
import type { ServerResponse } from 'node:http';
import { compareCursors, formatCursor, type Cursor } from './cursor.js';
import type { EventDispatcher, Subscriber } from './dispatcher.js';
import type { InboxEvent } from './event-log.js';
import { commentMessage, eventMessage, positionMessage, retryMessage } from './sse-format.js';

/** Interval of keep-alive comment lines, in milliseconds. */
const KEEP_ALIVE_MS = 15_000;
/** How often a stream re-checks its credentials, in milliseconds. */
export const REAUTHORISE_MS = 3_000;
/** Longest life of one stream, in milliseconds. */
const MAX_LIFETIME_MS = 10 * 60_000;
/** Unsent bytes a slow client may accumulate before its stream is ended. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Reconnection delay suggested to clients, in milliseconds. */
const RETRY_MS = 2_000;
/** Events per catch-up read. */
const CATCH_UP_PAGE = 500;

/** What one event is sent as on a stream. */
export type StreamEvent = { type: string; conversationId: string | null; payload: Record<string, unknown> };

/**
 * Who a stream is for: their organisation, and what they may receive of
 * each of its events (null: nothing). Staff: `staffAudience` (event-access.ts);
 * a portal customer: src/portal/portal-events.routes.ts.
 */
export type StreamAudience = { orgId: string; present(event: InboxEvent): StreamEvent | null };

export type StreamOptions = {
  dispatcher: EventDispatcher;
  audience: StreamAudience;
  /** The client's Last-Event-ID, or null to start live. */
  resumeFrom: Cursor | null;
  /** Told about a failed catch-up read (the stream is then ended; the client resumes). */
  onError: (err: unknown) => void;
  /** Whether the stream's credentials still grant the access it started with; false, or a throw at every try (`stillAuthorised`), ends it. */
  reauthorise: () => Promise<boolean>;
};

/** Tries of one credential re-check, and the pause between them (ms). */
const RECHECK_TRIES = 3;
const RECHECK_PAUSE_MS = 250;

/**
 * One re-check of a stream's credentials: `reauthorise`, asked again (up to
 * three tries, 250 ms apart) while it throws. A PostgreSQL restart or a
 * `pg_terminate_backend` fails the queries that find its dropped pooled
 * connections until the pool has opened new ones, and ending every open
 * stream for that would send each client back to reconnect at once; a check
 * that answers false, or still throws at the third try, ends the stream.
 * @returns false when the stream must end
 */
export async function stillAuthorised(reauthorise: () => Promise<boolean>): Promise<boolean> {
  for (let tries = 1; ; tries++) {
    try {
      return await reauthorise();
    } catch {
      if (tries >= RECHECK_TRIES) return false;
      await new Promise((resolve) => setTimeout(resolve, RECHECK_PAUSE_MS));
    }
  }
}

/**
 * Serve the stream on `res` (already hijacked from Fastify): write the
 * response head, catch up, then stay live until either side closes.
 * @returns once the stream is live or has ended
 */
export async function serveEventStream(res: ServerResponse, options: StreamOptions): Promise<void> {
  const { dispatcher, audience } = options;
  let buffer: InboxEvent[] | null = [];
  let ended = false;

  // connection: close — when the server ends a stream the socket goes with it, so a closing server never waits on it.
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', connection: 'close' });
  res.write(retryMessage(RETRY_MS));

  const keepAlive = setInterval(() => res.write(commentMessage('keep-alive')), KEEP_ALIVE_MS);
  const lifetime = setTimeout(() => end(), MAX_LIFETIME_MS);
  let checking = false;
  const recheck = setInterval(() => {
    if (checking || ended) return;
    checking = true;
    stillAuthorised(options.reauthorise).then((ok) => { if (!ok) end(); }).finally(() => { checking = false; });
  }, REAUTHORISE_MS);
  keepAlive.unref();
  lifetime.unref();
  recheck.unref();
  const subscriber: Subscriber = {
    orgId: audience.orgId,
    deliver: (event) => {
      if (ended) return;
      if (buffer) buffer.push(event);
      else send(event);
    },
    close: () => end(),
  };
  const unsubscribe = dispatcher.subscribe(subscriber);
  const livePosition = dispatcher.position();
  let lastSent: Cursor = options.resumeFrom ?? livePosition;

  const stop = () => {
    ended = true;
    unsubscribe();
    clearInterval(keepAlive);
    clearInterval(recheck);
    clearTimeout(lifetime);
  };
  const end = () => {
    if (ended) return;
    stop();
    res.end(() => res.socket?.destroy());
  };
  res.on('close', stop);

  /** @returns false when the client is too far behind (the stream is ended) */
  function send(event: InboxEvent): boolean {
    if (compareCursors(event.cursor, lastSent) <= 0) return true;
    lastSent = event.cursor;
    const shown = audience.present(event);
    if (!shown) return true;
    res.write(eventMessage(formatCursor(event.cursor), { ...shown, at: event.at.toISOString() }));
    if (res.writableLength <= MAX_BUFFERED_BYTES) return true;
    end();
    return false;
  }

  const resync = (reason: string) => {
    lastSent = livePosition;
    res.write(eventMessage(formatCursor(livePosition), { type: 'resync', conversationId: null, payload: { reason }, at: new Date().toISOString() }));
  };

  try {
    if (options.resumeFrom === null) res.write(positionMessage(formatCursor(livePosition)));
    else await catchUp();
  } catch (err) {
    options.onError(err);
    end();
    return;
  }
  if (ended) return;
  const missed = buffer;
  buffer = null;
  for (const event of missed) if (!send(event)) return;

  async function catchUp(): Promise<void> {
    for (;;) {
      const page = await dispatcher.log.readOrgAfter(audience.orgId, lastSent, CATCH_UP_PAGE);
      if (ended) return;
      if (page.resync) {
        resync(page.reason);
        return;
      }
      for (const event of page.events) if (!send(event)) return;
      if (!page.more) return;
      if (res.writableNeedDrain) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
    }
  }
}
