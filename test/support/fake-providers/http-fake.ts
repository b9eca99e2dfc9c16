/**
 * The HTTP core shared by the fake Twilio and WhatsApp servers: binds
 * 127.0.0.1 on a free port, records every request, and answers each one from
 * a FIFO queue of scripted responses, falling back to a responder function
 * (by default the provider's success answer).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export type RecordedRequest<Body> = {
  method: string;
  /** Path and query string, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  /** Node's lower-cased header map. */
  headers: IncomingHttpHeaders;
  /** The body exactly as received (UTF-8). */
  rawBody: string;
  /** The body as the provider parses it (form fields for Twilio, JSON for Meta). */
  body: Body;
};

/** Script steps every fake HTTP provider understands. */
export type CommonScript =
  /** Read the request and never answer, until `close()`. */
  | { kind: 'hang' }
  /** Destroy the connection without an HTTP response, after `delayMs` (default 0). */
  | { kind: 'drop'; delayMs?: number }
  /** Any status and body verbatim, e.g. an HTML 503 page from a load balancer. */
  | { kind: 'raw'; status: number; body: string; contentType?: string; headers?: Record<string, string>; delayMs?: number };

/** A concrete HTTP answer built by a provider fake. */
export type HttpAnswer = { status: number; json: unknown; headers?: Record<string, string>; delayMs?: number };

/** Decides the answer for one request: a script step (queue or fallback). */
export type Responder<Body, Script> = (request: RecordedRequest<Body>) => Script;

/** What every fake HTTP provider returns. */
export type FakeHttpProvider<Body, Script> = {
  /** `http://127.0.0.1:<port>`; point the adapter's `baseUrl` here. */
  baseUrl: string;
  /** Every request received, oldest first (also those answered with hang/drop/errors). */
  requests: Array<RecordedRequest<Body>>;
  /**
   * Script the next answers. A step or array of steps is appended to a FIFO
   * queue, one step consumed per request; a function replaces the fallback
   * used whenever the queue is empty (initially: success).
   */
  respondWith(next: Script | Script[] | Responder<Body, Script>): void;
  /** Stop listening and destroy open connections (releases hung requests). */
  close(): Promise<void>;
};

type Internals<Body, Script> = {
  parseBody(raw: string, headers: IncomingHttpHeaders): Body;
  /** Provider-specific scripts to concrete answers; common ones are handled here. */
  render(script: Exclude<Script, CommonScript>, request: RecordedRequest<Body>): HttpAnswer;
  defaultScript: Responder<Body, Script>;
};

/**
 * Start a fake HTTP provider on 127.0.0.1, port 0.
 * @returns the running fake; call `close()` when done
 */
export async function startHttpFake<Body, Script extends { kind: string }>(
  internals: Internals<Body, Script>,
): Promise<FakeHttpProvider<Body, Script>> {
  const requests: Array<RecordedRequest<Body>> = [];
  const queue: Script[] = [];
  let fallback = internals.defaultScript;
  const timers = new Set<NodeJS.Timeout>();

  function later(delayMs: number | undefined, fn: () => void): void {
    if (!delayMs || delayMs <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, delayMs);
    timers.add(t);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest<Body> = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody,
        body: internals.parseBody(rawBody, req.headers),
      };
      requests.push(request);
      const script = queue.shift() ?? fallback(request);
      answer(script, request, res);
    });
  });

  function answer(script: Script, request: RecordedRequest<Body>, res: ServerResponse): void {
    const common = script as unknown as CommonScript | { kind: string };
    if (common.kind === 'hang') return;
    if (common.kind === 'drop') {
      const s = common as Extract<CommonScript, { kind: 'drop' }>;
      later(s.delayMs, () => res.socket?.destroy());
      return;
    }
    if (common.kind === 'raw') {
      const s = common as Extract<CommonScript, { kind: 'raw' }>;
      later(s.delayMs, () => {
        res.writeHead(s.status, { 'content-type': s.contentType ?? 'text/plain', ...s.headers });
        res.end(s.body);
      });
      return;
    }
    const a = internals.render(script as Exclude<Script, CommonScript>, request);
    later(a.delayMs, () => {
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', ...a.headers });
      res.end(JSON.stringify(a.json));
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      if (typeof next === 'function') fallback = next as Responder<Body, Script>;
      else if (Array.isArray(next)) queue.push(...next);
      else queue.push(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
