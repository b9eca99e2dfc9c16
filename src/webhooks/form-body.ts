/**
 * Parses `application/x-www-form-urlencoded` bodies into the shape Twilio's
 * signature validator expects: every parameter, repeated names as arrays,
 * values URL-decoded. Registered per plugin, so it only affects Twilio routes.
 */
import { parse } from 'node:querystring';
import type { FastifyInstance } from 'fastify';

export type FormParams = Record<string, string | string[] | undefined>;

export function registerFormBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    done(null, parse(body as string));
  });
}

/** A single-valued parameter (the last value when a name repeats), or undefined. */
export function param(params: FormParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}
