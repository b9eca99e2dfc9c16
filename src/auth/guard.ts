/**
 * Every `/v1` route declares what it needs in `config.capability`:
 * one capability, a list of which any one suffices, or `'authenticated'`.
 * A route without a declaration cannot be registered, so a new unguarded
 * route fails at boot (and in the route × role test).
 *
 * Requests authenticate with `Authorization: Bearer tf_…` (API token) or the
 * staff session cookie. Cookie-authenticated writes must be JSON, which a
 * cross-site form cannot send (CSRF).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../server/errors.js';
import type { Capability } from './capabilities.js';
import { principalForApiToken, principalForSession, SESSION_COOKIE, type Principal } from './principal.js';

export type RouteCapability = Capability | readonly Capability[] | 'authenticated';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    orgId: string;
  }
  interface FastifyContextConfig {
    capability?: RouteCapability;
  }
}

/** The routes registered with their declared capability, for the route × role test and docs. */
export type GuardedRoute = { method: string; url: string; capability: RouteCapability };

async function authenticate(db: Kysely<Database>, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const principal = await principalForApiToken(db, header.slice('Bearer '.length).trim());
    if (!principal) throw new AppError('unauthorized', 'This API token is unknown or has been revoked.');
    return principal;
  }
  const session = request.cookies?.[SESSION_COOKIE];
  if (session) {
    const principal = await principalForSession(db, session, new Date());
    if (!principal) throw new AppError('unauthorized', 'Your session has ended: sign in again.');
    const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (isWrite && !String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new AppError('forbidden', 'Browser requests that change data must send JSON.');
    }
    return principal;
  }
  throw new AppError('unauthorized', 'Sign in, or send an organisation API token as "Authorization: Bearer tf_…".');
}

/**
 * The request's credentials checked again now (a long-lived stream re-checks
 * them: sign-out, a disabled user, a password reset or a revoked token end
 * them in the database, so every instance sees it).
 * @returns null when they no longer authenticate
 */
export async function reauthenticate(db: Kysely<Database>, request: FastifyRequest): Promise<Principal | null> {
  try {
    return await authenticate(db, request);
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') return null;
    throw err;
  }
}

/** Whether two principals are the same user or token with the same capabilities (a role change alters them). */
export function sameAccess(a: Principal, b: Principal): boolean {
  return a.userId === b.userId && a.tokenId === b.tokenId && a.orgId === b.orgId
    && a.capabilities.size === b.capabilities.size && [...a.capabilities].every((c) => b.capabilities.has(c));
}

/** Whether `principal` may use a route that needs `required`. */
export function allows(principal: Principal, required: RouteCapability): boolean {
  if (required === 'authenticated') return true;
  const anyOf: readonly Capability[] = typeof required === 'string' ? [required] : required;
  return anyOf.some((c) => principal.capabilities.has(c));
}

/**
 * Install authentication and capability checks on every route of `app`.
 * @param routes receives each route as it is registered, with its capability
 */
export function guardRoutes(app: FastifyInstance, db: Kysely<Database>, routes: GuardedRoute[] = []): GuardedRoute[] {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('orgId', '');
  app.addHook('onRoute', (route) => {
    const capability = route.config?.capability;
    if (!capability) throw new Error(`Route ${String(route.method)} ${route.url} declares no capability (config.capability).`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, capability });
  });
  // onRequest: before body parsing and validation, so strangers learn nothing from validation errors.
  app.addHook('onRequest', async (request) => {
    const required = request.routeOptions.config.capability;
    if (!required) throw new AppError('forbidden', 'This route has no declared capability.');
    const principal = await authenticate(db, request);
    if (!allows(principal, required)) {
      const needed = typeof required === 'string' ? required : required.join(' or ');
      throw new AppError('forbidden', `Your role does not have the ${needed} capability.`);
    }
    request.principal = principal;
    request.orgId = principal.orgId;
  });
  return routes;
}
