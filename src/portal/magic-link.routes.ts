/**
 * Portal magic links (spec: portal-messaging-fallback.txt, "tflow.link portal
 * magic link … authenticates automatically"; default expiry 7 days):
 * - `GET /l/{code}`: a valid link signs the customer in (HttpOnly cookie) on
 *   its conversation and redirects there; an expired link shows a page
 *   offering a fresh link; an unknown one a page saying what to do.
 * - `POST /l/{code}/renew`: texts a fresh link for an expired one (at most one
 *   per conversation every 10 minutes).
 * - `GET /portal/conversations/{id}`: the signed-in customer's conversation.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { listMessages } from '../api/conversations/conversation.queries.js';
import { presentMessage } from '../api/messages/message.presenter.js';
import { composeMessage } from '../sending/compose-message.js';
import { createPortalLink, PORTAL_LINK_CODE, printableLink } from '../sending/portal-links.js';
import { AppError } from '../server/errors.js';
import { registerFormBodyParser } from '../webhooks/form-body.js';
import { conversationPage, linkProblemPage, renewedPage, signedOutPage } from './pages.js';
import { createPortalSession, findPortalSession, PORTAL_COOKIE, PORTAL_SESSION_MS } from './portal-session.js';

const RENEW_INTERVAL_MS = 10 * 60_000;

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue };

async function findLink(db: Kysely<Database>, code: string) {
  if (!PORTAL_LINK_CODE.test(code)) return null;
  return db.selectFrom('portal_links as l').innerJoin('organisations as o', 'o.id', 'l.org_id')
    .select(['l.code', 'l.org_id', 'l.customer_id', 'l.conversation_id', 'l.expires_at', 'o.name as org_name'])
    .where('l.code', '=', code).executeTakeFirst();
}

export async function magicLinkRoutes(app: FastifyInstance, { db, config, queue }: Deps): Promise<void> {
  registerFormBodyParser(app);
  const secure = config.PUBLIC_BASE_URL.startsWith('https://');

  app.get<{ Params: { code: string } }>('/l/:code', { schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const link = await findLink(db, request.params.code);
    if (!link) return reply.status(404).type('text/html').send(linkProblemPage('unknown', null, null));
    if (link.expires_at <= now) return reply.status(410).type('text/html').send(linkProblemPage('expired', link.code, link.org_name));
    const token = await withTenant(db, link.org_id, async (trx) => {
      await trx.updateTable('portal_links').set({ last_used_at: now }).where('org_id', '=', link.org_id).where('code', '=', link.code).execute();
      if (link.customer_id) await trx.updateTable('customers').set({ portal_last_login_at: now }).where('org_id', '=', link.org_id).where('id', '=', link.customer_id).execute();
      return createPortalSession(trx, link.org_id, link.conversation_id, link.customer_id, now);
    });
    reply.setCookie(PORTAL_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: PORTAL_SESSION_MS / 1000 });
    return reply.redirect(`/portal/conversations/${link.conversation_id}`, 303);
  });

  app.post<{ Params: { code: string } }>('/l/:code/renew', { schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const link = await findLink(db, request.params.code);
    if (!link) return reply.status(404).type('text/html').send(linkProblemPage('unknown', null, null));
    if (link.expires_at > now) return reply.redirect(`/l/${link.code}`, 303);
    const code = await withTenant(db, link.org_id, async (trx) => {
      const recent = await trx.selectFrom('portal_links').select('code').where('org_id', '=', link.org_id).where('conversation_id', '=', link.conversation_id)
        .where('created_at', '>', new Date(now.getTime() - RENEW_INTERVAL_MS)).executeTakeFirst();
      return recent ? null : createPortalLink(trx, link.org_id, link.conversation_id, link.customer_id, config.PORTAL_LINK_TTL_DAYS, now);
    });
    if (!code) return reply.type('text/html').send(renewedPage('recently_sent', link.org_name));
    try {
      await composeMessage(db, queue, link.org_id, {
        conversationId: link.conversation_id,
        sender: { type: 'system' },
        channel: 'sms',
        category: 'transactional',
        body: `${link.org_name}: here is your new link to your messages with us: ${printableLink(config.PUBLIC_BASE_URL, code)}`,
      }, { publicBaseUrl: config.PUBLIC_BASE_URL, portalLinkTtlDays: config.PORTAL_LINK_TTL_DAYS }, now);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      request.log.info({ code: err.code }, 'fresh portal link could not be texted');
      return reply.type('text/html').send(renewedPage('failed', link.org_name));
    }
    return reply.type('text/html').send(renewedPage('sent', link.org_name));
  });

  app.get<{ Params: { id: string } }>('/portal/conversations/:id', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[PORTAL_COOKIE];
    const session = token ? await findPortalSession(db, token, new Date()) : null;
    if (!session || session.conversationId !== request.params.id) return reply.status(401).type('text/html').send(signedOutPage());
    const { orgName, messages } = await withTenant(db, session.orgId, async (trx) => ({
      orgName: (await trx.selectFrom('organisations').select('name').where('id', '=', session.orgId).executeTakeFirstOrThrow()).name,
      messages: (await listMessages(trx, session.orgId, session.conversationId, 200, null, 'customer')).messages.map(presentMessage),
    }));
    return reply.type('text/html').send(conversationPage(orgName, messages));
  });
}
