/**
 * Staff pages: `/login`, `/forgot-password`, `/reset-password`, and the
 * signed-in `/dashboard` (a placeholder). `/messages` is the staff web app
 * (src/web/staff-app.routes.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { principalForSession, SESSION_COOKIE, type Principal } from '../auth/principal.js';
import { forgotPasswordPage, placeholderPage, resetPasswordPage, signInPage } from './staff-pages.js';

async function staff(db: Kysely<Database>, request: FastifyRequest): Promise<Principal | null> {
  const token = request.cookies[SESSION_COOKIE];
  return token ? principalForSession(db, token, new Date()) : null;
}

export async function pageRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.get<{ Querystring: Record<string, string | undefined> }>('/login', { schema: { hide: true } }, async (request, reply) =>
    reply.type('text/html').send(signInPage(request.query)));
  app.get<{ Querystring: { sent?: string } }>('/forgot-password', { schema: { hide: true } }, async (request, reply) =>
    reply.type('text/html').send(forgotPasswordPage(Boolean(request.query.sent))));
  app.get<{ Querystring: { token?: string; error?: string } }>('/reset-password', { schema: { hide: true } }, async (request, reply) =>
    reply.type('text/html').send(resetPasswordPage(request.query.token ?? '', request.query.error)));

  app.get('/dashboard', { schema: { hide: true } }, async (request, reply) => {
    const user = await staff(db, request);
    if (!user) return reply.redirect('/login?next=/dashboard', 303);
    const links = user.capabilities.has('messages.view')
      ? [{ href: '/messages', label: 'Messages' }, { href: '/customers', label: 'Customers' }, { href: '/work-orders', label: 'Work orders' }]
      : [];
    return reply.type('text/html').send(placeholderPage('Dashboard', 'Your garage today', { name: user.name, role: user.roleName }, links));
  });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/messages', 302));
}
