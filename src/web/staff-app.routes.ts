/**
 * The staff web app (web/, built by `npm run build:web` into dist/web) at
 * `/messages`, `/customers` and `/work-orders`: its hashed assets under
 * `/messages/assets/`, and the app's page for each section's path and every
 * path below it (an SPA fallback, so `/messages?conversation=…`,
 * `/messages/approvals` and `/customers/{id}` load the app; its router picks the page).
 *
 * The page is only for signed-in staff with `messages.view`: signed-out
 * visitors go to /login (and come back here), others to the dashboard
 * (spec: messaging-inbox.txt troubleshooting). Without a build the page is
 * a 503 that says how to build it. The page carries who is signed in
 * (name, role, capabilities, whether the garage has AI on) so the first
 * screen needs no extra request.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerBuiltAssets } from './built-assets.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { principalForSession, SESSION_COOKIE } from '../auth/principal.js';
import { page } from '../pages/html.js';
import { PROJECT_ROOT } from '../project-root.js';

/**
 * The top-level paths of the staff app's sections (web/src/routes.tsx): the
 * app's page is served for each and every path below it. A new section adds its path here.
 */
export const STAFF_APP_PATHS = ['/messages', '/customers', '/work-orders', '/calls', '/settings'] as const;

/** dist/web at the repository root (this file is src/web/…). */
export const WEB_DIST = join(PROJECT_ROOT, 'dist/web/');

const NOT_BUILT = page('Messages · Torqueflow', `<h1>The staff app is not built</h1><div class="card">
<p>The Messages page is a web app that has to be built once before the server can show it.</p>
<p>Run <code>npm run build:web</code> (or start the server with <code>npm start</code>, which builds it), then reload this page.</p></div>`);

/** The page with who is signed in as inline JSON (`<` escaped, so no text can close the script element). */
export function withBootstrap(html: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return html.replace('</head>', `<script id="tf-bootstrap" type="application/json">${json}</script></head>`);
}

export async function staffAppRoutes(app: FastifyInstance, { db, distDir = WEB_DIST }: { db: Kysely<Database>; distDir?: string }): Promise<void> {
  await registerBuiltAssets(app, distDir, '/messages/assets/');

  const serveApp = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await principalForSession(db, token, new Date()) : null;
    if (!user) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    if (!user.capabilities.has('messages.view')) return reply.redirect('/dashboard', 303);
    let html: string;
    try {
      html = await readFile(`${distDir}index.html`, 'utf8');
    } catch {
      return reply.status(503).type('text/html').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    const org = await db.selectFrom('organisations').select(['name', 'ai_enabled']).where('id', '=', user.orgId).executeTakeFirst();
    const me = {
      kind: user.kind, id: user.userId, name: user.name, role: user.roleName, orgId: user.orgId,
      orgName: org?.name ?? null, aiEnabled: org?.ai_enabled ?? false, capabilities: [...user.capabilities].sort(),
    };
    return reply.type('text/html').header('cache-control', 'no-store').send(withBootstrap(html, { me }));
  };
  for (const path of STAFF_APP_PATHS) {
    app.get(path, { schema: { hide: true } }, serveApp);
    app.get(`${path}/*`, { schema: { hide: true } }, serveApp);
  }
}
