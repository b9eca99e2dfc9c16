/**
 * A minimal EventSource for tests and the latency benchmark: opens
 * `GET /v1/events` over node:http, parses the text/event-stream exactly as the
 * WHATWG spec says (fields, blank-line dispatch, `id:` updating the last
 * event id even for messages without data), and records what arrives with
 * the local arrival time. Unlike a browser's EventSource it does not
 * reconnect: a test reconnects explicitly with `lastEventId`.
 */
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

export type ReceivedEvent = {
  /** The `id:` of the message (the cursor), or null. */
  id: string | null;
  /** The `event:` field (the event type). */
  event: string;
  /** The parsed `data:` JSON: {type, conversationId, payload, at}. */
  data: { type: string; conversationId: string | null; payload: Record<string, any>; at: string };
  /** performance.now() when the message was complete. */
  receivedAt: number;
};

export type Credentials = { token: string } | { cookie: string };

export type EventClient = {
  status: number;
  headers: IncomingHttpHeaders;
  /** Everything received so far, unparsed. */
  raw(): string;
  /** Every dispatched event, in arrival order. */
  events: ReceivedEvent[];
  /** The last event id, as EventSource tracks it (also set by data-less `id:` messages). */
  lastEventId(): string | null;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
};

export type OpenOptions = {
  /** Resume after this id. */
  lastEventId?: string;
  /** Send the id as the `lastEventId` query parameter instead of the header. */
  viaQuery?: boolean;
  /** Called for each event as it arrives. */
  onEvent?: (event: ReceivedEvent) => void;
};

function authHeaders(credentials: Credentials): Record<string, string> {
  return 'token' in credentials ? { authorization: `Bearer ${credentials.token}` } : { cookie: credentials.cookie };
}

/**
 * Open the stream on a connection of its own (closed with the stream).
 * Resolves once the response head has arrived.
 * @throws Error with the body when the server answers anything but 200
 */
export async function openEvents(baseUrl: string, credentials: Credentials, options: OpenOptions = {}): Promise<EventClient> {
  const resume = options.lastEventId;
  const url = new URL(`${baseUrl}/v1/events`);
  if (resume !== undefined && options.viaQuery) url.searchParams.set('lastEventId', resume);
  const headers = { accept: 'text/event-stream', ...authHeaders(credentials), ...(resume !== undefined && !options.viaQuery ? { 'last-event-id': resume } : {}) };
  const req = request(url, { headers, agent: false });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve).once('error', reject).end();
  });
  if (res.statusCode !== 200) {
    let body = '';
    for await (const chunk of res) body += String(chunk);
    throw new Error(`GET /v1/events answered ${res.statusCode}: ${body}`);
  }

  const events: ReceivedEvent[] = [];
  let lastEventId: string | null = null;
  let idBuffer: string | null = null;
  let eventType = '';
  let data: string[] = [];
  let pending = '';
  let raw = '';

  const line = (text: string) => {
    if (text === '') {
      lastEventId = idBuffer;
      if (data.length > 0) {
        const received: ReceivedEvent = { id: idBuffer, event: eventType || 'message', data: JSON.parse(data.join('\n')), receivedAt: performance.now() };
        events.push(received);
        options.onEvent?.(received);
      }
      eventType = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') idBuffer = value;
    else if (field === 'event') eventType = value;
    else if (field === 'data') data.push(value);
  };

  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    raw += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) line(l.endsWith('\r') ? l.slice(0, -1) : l);
  });
  const ended = new Promise<void>((resolve) => res.once('close', resolve));

  return { status: res.statusCode, headers: res.headers, raw: () => raw, events, lastEventId: () => lastEventId, ended, close: () => req.destroy() };
}
