/**
 * `POST /v1/templates/sync` (capability `messages.tier.manage`): fetch the
 * review status of every template from Meta now, instead of waiting for the
 * status webhook. `{"changed": n}`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { syncTemplateStatuses } from '../../templates/sync-templates.js';

export async function templateSyncRoutes(app: FastifyInstance, { db, config }: { db: Kysely<Database>; config: Config }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/templates/sync', {
    config: { capability: 'messages.tier.manage' },
    schema: { summary: 'Sync template review statuses from Meta', tags: ['templates'], security: [{ bearerAuth: [] }], response: { 200: z.object({ changed: z.number().int() }) } },
  }, async (request) => ({ changed: await syncTemplateStatuses(db, config, request.orgId) }));
}
