/**
 * Issue 10 item 7: the one place that keeps secrets and personal data out of
 * the request logs. Fastify logs every request's URL; URLs carry portal
 * magic-link codes (`/l/{code}`), password-reset tokens
 * (`/reset-password?token=…`) and search terms that are often phone numbers
 * (`/v1/conversations?q=07700…`).
 *
 * - Path segments that are credentials are replaced by `[redacted]`
 *   (`SECRET_PATHS`).
 * - Query values are kept only for parameters known to be harmless
 *   (`SAFE_QUERY_PARAMS`: paging, date ranges, filters); every other value,
 *   whatever its name (token, code, q, email, …), becomes `[redacted]`, so a
 *   parameter added later is hidden until someone decides it is safe.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

export const REDACTED = '[redacted]';

/** Query parameters whose values never hold a secret or personal data. */
export const SAFE_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'range', 'filter', 'limit', 'cursor', 'before', 'start', 'end', 'from', 'to', 'channel', 'status', 'lastEventId', 'signed_out', 'sent', 'error',
]);

/** Paths whose segment after the prefix is a credential: portal magic links. */
const SECRET_PATHS: ReadonlyArray<RegExp> = [/^(\/l\/)[^/?#]+/];

/**
 * The URL (path and query, as Fastify's `request.url`) with credentials and
 * unlisted query values replaced by `[redacted]`.
 * @example redactUrl('/v1/conversations?q=07700900123&limit=50') === '/v1/conversations?q=[redacted]&limit=50'
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, `$1${REDACTED}`);
  if (queryAt === -1) return path;
  const query = url.slice(queryAt + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      return REDACTED;
    }
    if (eq === -1) return SAFE_QUERY_PARAMS.has(decoded) ? name : REDACTED;
    return SAFE_QUERY_PARAMS.has(decoded) ? pair : `${name}=${REDACTED}`;
  });
  return `${path}?${query.join('&')}`;
}

/** Where log lines go: a pino destination (tests capture lines with any `write`). */
export type LogStream = { write(line: string): void };

/**
 * The server's logger options: level, the redacting request serializer and
 * removal of credentials should an object carrying headers ever be logged.
 * @param stream destination of the JSON lines (default: stdout)
 */
export function loggerOptions(level: string, stream?: LogStream): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    redact: { paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'], censor: REDACTED },
  };
}
