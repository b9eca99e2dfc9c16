/**
 * The operator API (issue 13 item 0), for whoever runs this server, not for
 * garages: `POST /operator/organisations` {name, slug, ownerEmail, ownerName?}
 * creates a garage with its default roles and owner, and answers 201 with
 * the owner's one-time set-password link (7 days, single use; shown once).
 * Needs `Authorization: Bearer <OPERATOR_TOKEN>`; while OPERATOR_TOKEN is
 * unset the route answers 404 like any unknown path, and a wrong token 401.
 * Errors: 400 validation_failed, 409 conflict (slug taken).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../server/errors.js';
import { onboardOrganisation, setPasswordLink, SLUG_PATTERN } from '../../organisations/onboard-organisation.js';

const digest = (v: string) => createHash('sha256').update(v).digest();

export async function operatorRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; config: Pick<Config, 'OPERATOR_TOKEN' | 'PUBLIC_BASE_URL'> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const token = deps.config.OPERATOR_TOKEN;
  r.post('/operator/organisations', {
    schema: {
      tags: ['operator'],
      summary: 'Create a garage with its owner (operator token)',
      security: [{ bearerAuth: [] }],
      body: z.object({
        name: z.string().trim().min(1).max(200),
        slug: z.string().trim().regex(SLUG_PATTERN, 'lowercase letters, digits and hyphens, at most 63 characters'),
        ownerEmail: z.string().trim().email(),
        ownerName: z.string().trim().max(200).default(''),
      }).strict(),
      response: { 201: z.object({ id: z.string(), slug: z.string(), ownerId: z.string(), setPasswordUrl: z.string(), expiresAt: z.string() }) },
    },
    // Authenticate before the body is validated, so nobody learns the schema without the token.
    preValidation: async (request) => {
      if (!token) throw new AppError('not_found', `No route ${request.method} ${request.url}.`);
      if (!timingSafeEqual(digest(request.headers.authorization ?? ''), digest(`Bearer ${token}`))) {
        throw new AppError('unauthorized', 'The operator API needs Authorization: Bearer <OPERATOR_TOKEN>.');
      }
    },
  }, async (request, reply) => {
    const garage = await onboardOrganisation(deps.db, request.body);
    return reply.status(201).send({
      id: garage.orgId, slug: garage.slug, ownerId: garage.ownerId,
      setPasswordUrl: setPasswordLink(deps.config.PUBLIC_BASE_URL, garage.setPasswordToken), expiresAt: garage.expiresAt.toISOString(),
    });
  });
}
