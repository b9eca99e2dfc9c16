/**
 * Bearer-token authentication for the `/v1` API: sets `request.orgId` or
 * answers 401 `unauthorized`.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../server/errors.js';
import { organisationForToken } from './api-tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    orgId: string;
  }
}

export function requireApiToken(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('orgId', '');
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (!token) throw new AppError('unauthorized', 'Send an organisation API token as "Authorization: Bearer tf_…".');
    const orgId = await organisationForToken(db, token);
    if (!orgId) throw new AppError('unauthorized', 'This API token is unknown or has been revoked.');
    request.orgId = orgId;
  });
}
