/**
 * Staff authentication (public routes):
 * - `POST /auth/sign-in` {email, password, organisation?}: sets the HttpOnly session cookie
 *   (Secure behind TLS, SameSite=Lax); 401 invalid_credentials; 429 too_many_attempts;
 *   409 organisation_required (the email and password open accounts in several garages:
 *   send the garage's slug as `organisation`); 403 cross_origin_request when the browser
 *   says the form was posted from another site (login CSRF: the `Origin` header must be
 *   this server's, PUBLIC_BASE_URL's or the Host it was reached at; absent is allowed,
 *   for non-browser clients);
 * - `POST /auth/sign-out`: ends the session;
 * - `POST /auth/password-reset` {email}: emails a one-hour reset link (always 202; rate
 *   limited per email and address, src/auth/password-reset.ts);
 * - `POST /auth/password-reset/confirm` {token, password}: sets the new password.
 * JSON requests get JSON; HTML form posts (the sign-in page) get redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { SESSION_COOKIE } from '../../auth/principal.js';
import { signIn, signOut, SESSION_MS } from '../../auth/sign-in.js';
import { completePasswordReset, requestPasswordReset } from '../../auth/password-reset.js';
import type { Mailer } from '../../mail/mailer.js';
import { AppError } from '../../server/errors.js';
import { registerFormBodyParser } from '../../webhooks/form-body.js';

const credentials = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  organisation: z.string().trim().max(100).optional().transform((v) => v || null),
});
const resetRequest = z.object({ email: z.string().trim().min(3).max(320) });
const resetConfirm = z.object({ token: z.string().min(10).max(200), password: z.string().max(1024) });

type Deps = { db: Kysely<Database>; config: Config; mailer: Mailer };

const isForm = (request: FastifyRequest) => String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const LOCAL = 'http://local.invalid';

/**
 * Refuse a sign-in posted from another site (login CSRF): a browser names the
 * page's origin in `Origin`; it must be PUBLIC_BASE_URL's or the one the
 * request reached (`Host`, as the proxy forwarded it).
 * @throws AppError cross_origin_request
 */
function checkOrigin(request: FastifyRequest, publicBaseUrl: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = new Set([new URL(publicBaseUrl).origin, `${request.protocol}://${request.host}`]);
  if (!allowed.has(origin)) throw new AppError('cross_origin_request', 'Sign in from this server\'s own sign-in page.');
}

/**
 * A safe place to go after signing in: a path on this server, else `/messages`.
 * Checked the way a browser resolves a Location header (WHATWG URL: "\" counts
 * as "/", tabs and newlines are dropped), so `/\evil.example` or `/<TAB>/evil.example`,
 * which a browser reads as `//evil.example`, are refused.
 */
function nextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/')) return '/messages';
  let url: URL;
  try {
    url = new URL(raw, LOCAL);
  } catch {
    return '/messages';
  }
  return url.origin === LOCAL && url.pathname.startsWith('/') && !url.pathname.startsWith('//') ? url.pathname + url.search + url.hash : '/messages';
}

export async function authRoutes(app: FastifyInstance, { db, config, mailer }: Deps): Promise<void> {
  registerFormBodyParser(app);
  const secure = config.PUBLIC_BASE_URL.startsWith('https://');

  app.post('/auth/sign-in', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const form = isForm(request);
    checkOrigin(request, config.PUBLIC_BASE_URL);
    try {
      const { email, password, organisation } = parse(credentials, request.body);
      const session = await signIn(db, email, password, request.ip, new Date(), organisation);
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: SESSION_MS / 1000 });
      if (form) return reply.redirect(nextPath((request.body as Record<string, unknown>).next), 303);
      return reply.send({ signedIn: true, expiresAt: session.expiresAt.toISOString() });
    } catch (err) {
      if (form && err instanceof AppError) {
        // Keep where the user was going, so fixing a typo still lands there.
        const next = nextPath((request.body as Record<string, unknown> | undefined)?.next);
        return reply.redirect(`/login?error=${err.code}${next === '/messages' ? '' : `&next=${encodeURIComponent(next)}`}`, 303);
      }
      throw err;
    }
  });

  app.post('/auth/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await signOut(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return isForm(request) ? reply.redirect('/login?signed_out=1', 303) : reply.send({ signedOut: true });
  });

  app.post('/auth/password-reset', { schema: { hide: true } }, async (request, reply) => {
    const { email } = parse(resetRequest, request.body);
    for (const reset of await requestPasswordReset(db, email, request.ip)) {
      const link = `${config.PUBLIC_BASE_URL}/reset-password?token=${encodeURIComponent(reset.token)}`;
      // Not awaited: the answer must be the same, and as quick, whether or not the email has an
      // account; waiting for the mail server would show its delay, and its failure as a 500.
      mailer.send({
        to: reset.email,
        subject: 'Reset your Torqueflow password',
        text: `Hello ${reset.name},\n\nSomeone (hopefully you) asked to reset your Torqueflow password at ${reset.organisationName}. Open this link within an hour to choose a new one:\n\n${link}\n\nIf it wasn't you, ignore this email: your password stays the same.\n`,
      }).catch((err: unknown) => request.log.error({ err }, 'the password reset email could not be sent'));
    }
    return isForm(request) ? reply.redirect('/forgot-password?sent=1', 303) : reply.status(202).send({ accepted: true });
  });

  app.post('/auth/password-reset/confirm', { schema: { hide: true } }, async (request, reply) => {
    const form = isForm(request);
    try {
      const { token, password } = parse(resetConfirm, request.body);
      await completePasswordReset(db, token, password);
      return form ? reply.redirect('/login?reset=1', 303) : reply.send({ reset: true });
    } catch (err) {
      if (form && err instanceof AppError) return reply.redirect(`/reset-password?token=${encodeURIComponent(String((request.body as Record<string, unknown>).token ?? ''))}&error=${err.code}`, 303);
      throw err;
    }
  });
}
