/**
 * Parses `application/x-www-form-urlencoded` bodies: every parameter,
 * repeated names as arrays, values URL-decoded, flat (`a[b]=c` is the
 * parameter `a[b]`, never a nested object). The body is the cleaned form
 * (src/webhooks/text.ts: no NUL, no unpaired surrogate); the form exactly as
 * sent, which Twilio's signature covers, is `formAsSent(request)`.
 * Registered per plugin (Twilio webhooks, the sign-in forms).
 */
import { parse } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cleanDeep } from './text.js';

export type FormParams = Record<string, string | string[] | undefined>;

const asSent = new WeakMap<FastifyRequest, FormParams>();

export function registerFormBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (request, body, done) => {
    const params = parse(body as string) as FormParams;
    asSent.set(request, params);
    done(null, cleanDeep(params));
  });
}

/** The form of `request` exactly as sent (for signature checks), or undefined when it had none. */
export function formAsSent(request: FastifyRequest): FormParams | undefined {
  return asSent.get(request);
}

/** A single-valued parameter (the last value when a name repeats), or undefined. */
export function param(params: FormParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}
