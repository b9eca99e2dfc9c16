/** `GET /v1/audit-log?limit=&before=`: the staff audit log, newest first (capability `audit.view`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';

export async function auditLogRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/audit-log', {
    config: { capability: 'audit.view' },
    schema: {
      summary: 'Staff audit log, newest first',
      tags: ['staff'],
      security: [{ bearerAuth: [] }],
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().positive().optional().describe('id of the oldest entry of the previous page') }),
      response: {
        200: z.object({ entries: z.array(z.object({
          id: z.number(), action: z.string(), targetType: z.string(), targetId: z.string(), actorUserId: z.uuid().nullable(), actorTokenId: z.uuid().nullable(),
          before: z.unknown(), after: z.unknown(), reason: z.string().nullable(), createdAt: z.string(),
        })) }),
      },
    },
  }, async (request) => {
    const rows = await withTenant(db, request.orgId, (trx) => {
      let q = trx.selectFrom('staff_audit_log').selectAll().where('org_id', '=', request.orgId).orderBy('id', 'desc').limit(request.query.limit);
      if (request.query.before) q = q.where('id', '<', String(request.query.before));
      return q.execute();
    });
    return {
      entries: rows.map((e) => ({
        id: Number(e.id), action: e.action, targetType: e.target_type, targetId: e.target_id, actorUserId: e.actor_user_id, actorTokenId: e.actor_token_id,
        before: e.before, after: e.after, reason: e.reason, createdAt: e.created_at.toISOString(),
      })),
    };
  });
}
