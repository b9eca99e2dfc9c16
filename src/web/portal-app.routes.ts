/**
 * The customer portal web app (web/portal/, built by `npm run build:web`
 * into dist/portal) at `/portal`: hashed assets under `/portal/assets/`, and
 * the app's page for `/portal` and every path below it (SPA fallback:
 * `/portal/preferences`). Only for a customer signed in by a magic link;
 * anyone else gets a short page saying to open the link from their latest
 * text. Without a build the page is a 503 saying how to build it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerBuiltAssets } from './built-assets.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { page } from '../pages/html.js';
import { signedOutPage } from '../portal/pages.js';
import { findPortalSession, PORTAL_COOKIE } from '../portal/portal-session.js';
import { PROJECT_ROOT } from '../project-root.js';

/** dist/portal at the repository root (this file is src/web/…). */
export const PORTAL_DIST = join(PROJECT_ROOT, 'dist/portal/');

const NOT_BUILT = page('Messages', '<h1>The portal is not built</h1><div class="card"><p>Run <code>npm run build:web</code>, then reload this page.</p></div>');

export async function portalAppRoutes(app: FastifyInstance, { db, distDir = PORTAL_DIST }: { db: Kysely<Database>; distDir?: string }): Promise<void> {
  await registerBuiltAssets(app, distDir, '/portal/assets/');

  const serveApp = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[PORTAL_COOKIE];
    const session = token ? await findPortalSession(db, token, new Date()) : null;
    if (!session) return reply.status(401).type('text/html').header('cache-control', 'no-store').send(signedOutPage());
    try {
      const html = await readFile(`${distDir}index.html`, 'utf8');
      return reply.type('text/html').header('cache-control', 'no-store').send(html);
    } catch {
      return reply.status(503).type('text/html').header('cache-control', 'no-store').send(NOT_BUILT);
    }
  };
  app.get('/portal', { schema: { hide: true } }, serveApp);
  app.get('/portal/*', { schema: { hide: true } }, serveApp);
}
