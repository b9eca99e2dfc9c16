/**
 * `GET /v1/quick-messages`: the organisation's saved reply snippets, in
 * their configured order (spec: messaging-inbox.txt, "The reply composer
 * supports quick messages - pre-saved text snippets configured in Settings").
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';

export async function quickMessageRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/quick-messages', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "The organisation's quick messages",
      tags: ['messages'],
      security: [{ bearerAuth: [] }],
      response: { 200: z.object({ quickMessages: z.array(z.object({ id: z.uuid(), title: z.string(), body: z.string() })) }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => ({
    quickMessages: await trx.selectFrom('quick_messages').select(['id', 'title', 'body']).where('org_id', '=', request.orgId).orderBy('position').orderBy('title').execute(),
  })));
}
