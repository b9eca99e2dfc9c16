/**
 * Issue 10 item 15: how long a client may take and how much it may send, so
 * that slow or endless requests cannot hold connections and memory.
 *
 * - `requestTimeout`: the whole request (headers and body) must arrive within
 *   HTTP_REQUEST_TIMEOUT_MS, else Node answers 408 and closes the connection.
 *   Node checks pending requests every `connectionsCheckingInterval` (30 s by
 *   default), so it is set to a quarter of the timeout (at most 5 s) for the
 *   timeout to be kept closely. A server-sent stream (GET /v1/events) is a
 *   complete request, so it is never cut by this.
 * - `connectionTimeout`: a connection silent for HTTP_CONNECTION_TIMEOUT_MS is
 *   closed (the event stream writes a comment every 15 s).
 * - `keepAliveTimeout`: HTTP_KEEP_ALIVE_TIMEOUT_MS between requests.
 * - `bodyLimit`: HTTP_BODY_LIMIT_BYTES per parsed body (413 above it).
 * Fastify server options: https://fastify.dev/docs/latest/Reference/Server/
 */
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

export function httpLimits(config: Config): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'bodyLimit'> & { http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } } {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  return {
    requestTimeout,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    http: {
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(requestTimeout / 4))),
    },
  };
}
