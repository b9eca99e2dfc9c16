/**
 * `DELETE /v1/conversations/{id}/portal-links` (capability `messages.send`):
 * revoke every live portal magic link of the conversation; the customer's
 * portal sessions made from them end at once (issue 10 item 6). A customer
 * who still needs the portal gets a fresh link with the garage's next text.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { revokePortalLinks } from '../../sending/portal-links.js';
import { AppError } from '../../server/errors.js';

export async function portalLinkRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().delete('/v1/conversations/:id/portal-links', {
    config: { capability: 'messages.send' },
    schema: {
      summary: "Revoke the conversation's portal links (ends the customer's portal sessions)",
      tags: ['conversations'],
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ revoked: z.number().int() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const conversation = await trx.selectFrom('conversations').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!conversation) throw new AppError('not_found', 'No such conversation in this organisation.');
    return { revoked: await revokePortalLinks(trx, request.orgId, conversation.id, new Date()) };
  }));
}
