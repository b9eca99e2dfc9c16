/**
 * `PUT /v1/conversations/{id}/assignee` {userId | null, reason?}: assign a
 * conversation to a staff user of the organisation, or unassign it
 * (spec: messaging-inbox.txt, "use the assignment dropdown to assign the
 * conversation to a staff member or remove the current assignment").
 * Anyone who sees the inbox may assign; every change is in the staff audit
 * log and emits a `conversation.assigned` event.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { recordAudit } from '../../auth/audit.js';
import { recordInboxEvent } from '../../realtime/record-event.js';
import { AppError } from '../../server/errors.js';

export async function assignmentRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().put('/v1/conversations/:id/assignee', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Assign or unassign a conversation',
      tags: ['conversations'],
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.uuid() }),
      body: z.object({ userId: z.uuid().nullable(), reason: z.string().max(500).optional() }),
      response: { 200: z.object({ id: z.uuid(), assigneeId: z.uuid().nullable(), changed: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const conversation = await trx.selectFrom('conversations').select(['id', 'assignee_id']).where('org_id', '=', request.orgId).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
    if (!conversation) throw new AppError('not_found', 'No such conversation in this organisation.');
    const { userId } = request.body;
    let assignee: { id: string; name: string } | null = null;
    if (userId) {
      const user = await trx.selectFrom('staff_users').select(['id', 'name', 'disabled_at']).where('org_id', '=', request.orgId).where('id', '=', userId).executeTakeFirst();
      if (!user || user.disabled_at) throw new AppError('validation_failed', 'userId is not an active staff user of this organisation.');
      assignee = { id: user.id, name: user.name };
    }
    if (conversation.assignee_id === userId) return { id: conversation.id, assigneeId: userId, changed: false };
    await trx.updateTable('conversations').set({ assignee_id: userId }).where('org_id', '=', request.orgId).where('id', '=', conversation.id).execute();
    await recordAudit(trx, request.principal, {
      action: userId ? 'conversation.assigned' : 'conversation.unassigned', targetType: 'conversation', targetId: conversation.id,
      before: { assigneeId: conversation.assignee_id }, after: { assigneeId: userId }, reason: request.body.reason ?? null,
    });
    await recordInboxEvent(trx, request.orgId, 'conversation.assigned', conversation.id, { assignee, previousAssigneeId: conversation.assignee_id });
    return { id: conversation.id, assigneeId: userId, changed: true };
  }));
}
