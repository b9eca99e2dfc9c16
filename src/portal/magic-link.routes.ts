/**
 * Portal magic links (spec: portal-messaging-fallback.txt, "tflow.link portal
 * magic link … authenticates automatically"; default expiry 7 days; issue 11
 * item 2, issue 10 item 6):
 * - `GET /l/{code}` (and HEAD): a valid link shows a one-tap Continue page
 *   and changes nothing — mail and SMS link scanners fetch every link, and
 *   must neither sign anyone in nor use the link up.
 * - `POST /l/{code}`: signs the customer in (HttpOnly cookie for their
 *   conversation, ending with the link), records the sign-in as the
 *   customer's last portal login, and redirects to `/portal`.
 * - `POST /l/{code}/renew`: texts a fresh link for an expired one (at most
 *   one per conversation every 10 minutes); the answer is the same whether
 *   or not the code was ours.
 * An unknown, expired or revoked code gets the same 404 page. Failed
 * look-ups are counted in the database per client address and overall;
 * past the limit every look-up is refused with 429 before the code is read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { composeMessage } from '../sending/compose-message.js';
import { bridgeSettings } from '../sending/bridge.js';
import { createPortalLink, hashLinkCode, PORTAL_LINK_CODE, printableLink } from '../sending/portal-links.js';
import { AppError } from '../server/errors.js';
import { linkLookupAllowed, recordLinkFailure } from './link-failures.js';
import { continuePage, linkProblemPage, renewedPage, tooManyAttemptsPage } from './pages.js';
import { createPortalSession, PORTAL_COOKIE } from './portal-session.js';

const RENEW_INTERVAL_MS = 10 * 60_000;

type Deps = { db: Kysely<Database>; config: Config; queue: JobQueue };
type Link = { id: string; org_id: string; customer_id: string | null; conversation_id: string; expires_at: Date; revoked_at: Date | null; org_name: string };
type Params = { Params: { code: string } };

async function findLink(db: Kysely<Database>, code: string): Promise<Link | null> {
  if (!PORTAL_LINK_CODE.test(code)) return null;
  const row = await db.selectFrom('portal_links as l').innerJoin('organisations as o', 'o.id', 'l.org_id')
    .select(['l.id', 'l.org_id', 'l.customer_id', 'l.conversation_id', 'l.expires_at', 'l.revoked_at', 'o.name as org_name'])
    .where('l.code_hash', '=', hashLinkCode(code)).executeTakeFirst();
  return row ?? null;
}

/**
 * Look the code up under the rate limit.
 * @returns the link (any state) or null, or undefined when the reply was already sent (429)
 */
async function lookUp(db: Kysely<Database>, request: FastifyRequest<Params>, reply: FastifyReply, now: Date): Promise<Link | null | undefined> {
  if (await linkLookupAllowed(db, request.ip, now) !== 'allowed') {
    await reply.status(429).header('retry-after', '900').type('text/html').send(tooManyAttemptsPage());
    return undefined;
  }
  return findLink(db, request.params.code);
}

const usable = (link: Link | null, now: Date): boolean => link !== null && link.revoked_at === null && link.expires_at > now;

export async function magicLinkRoutes(app: FastifyInstance, { db, config, queue }: Deps): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));
  const secure = config.PUBLIC_BASE_URL.startsWith('https://');
  const refuse = async (request: FastifyRequest<Params>, reply: FastifyReply, now: Date) => {
    await recordLinkFailure(db, request.ip, now);
    return reply.status(404).type('text/html').header('cache-control', 'no-store').send(linkProblemPage(PORTAL_LINK_CODE.test(request.params.code) ? request.params.code : null));
  };

  app.get<Params>('/l/:code', { schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const link = await lookUp(db, request, reply, now);
    if (link === undefined) return reply;
    if (!link || !usable(link, now)) return refuse(request, reply, now);
    return reply.type('text/html').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(continuePage(request.params.code, link.org_name));
  });

  app.post<Params>('/l/:code', { schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const link = await lookUp(db, request, reply, now);
    if (link === undefined) return reply;
    if (!link || !usable(link, now)) return refuse(request, reply, now);
    const session = await withTenant(db, link.org_id, async (trx) => {
      await trx.updateTable('portal_links').set({ last_used_at: now }).where('org_id', '=', link.org_id).where('id', '=', link.id).execute();
      if (link.customer_id) await trx.updateTable('customers').set({ portal_last_login_at: now }).where('org_id', '=', link.org_id).where('id', '=', link.customer_id).execute();
      return createPortalSession(trx, link.org_id, { id: link.id, conversationId: link.conversation_id, customerId: link.customer_id, expiresAt: link.expires_at }, now);
    });
    reply.setCookie(PORTAL_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: session.expiresAt });
    return reply.redirect('/portal', 303);
  });

  app.post<Params>('/l/:code/renew', { schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const link = await lookUp(db, request, reply, now);
    if (link === undefined) return reply;
    if (usable(link, now)) return reply.redirect(`/l/${request.params.code}`, 303);
    if (!link || link.revoked_at) await recordLinkFailure(db, request.ip, now);
    else await textFreshLink(link, now, request);
    return reply.type('text/html').header('cache-control', 'no-store').send(renewedPage());
  });

  async function textFreshLink(link: Link, now: Date, request: FastifyRequest): Promise<void> {
    const code = await withTenant(db, link.org_id, async (trx) => {
      const recent = await trx.selectFrom('portal_links').select('id').where('org_id', '=', link.org_id).where('conversation_id', '=', link.conversation_id)
        .where('created_at', '>', new Date(now.getTime() - RENEW_INTERVAL_MS)).executeTakeFirst();
      return recent ? null : createPortalLink(trx, link.org_id, link.conversation_id, link.customer_id, config.PORTAL_LINK_TTL_DAYS, now);
    });
    if (!code) return;
    try {
      await composeMessage(db, queue, link.org_id, {
        conversationId: link.conversation_id,
        sender: { type: 'system' },
        channel: 'sms',
        category: 'transactional',
        body: `${link.org_name}: here is your new link to your messages with us: ${printableLink(config.PORTAL_LINK_BASE_URL, code)}`,
      }, bridgeSettings(config), now);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      request.log.info({ code: err.code }, 'fresh portal link could not be texted');
    }
  }
}
