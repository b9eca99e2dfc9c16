/**
 * `PUT /v1/conversations/{id}/work-order` {workOrderId} links a work order;
 * `DELETE /v1/conversations/{id}/work-order` unlinks it (spec:
 * messaging-inbox.txt, "Linking work orders"). Each change adds a system
 * entry to the thread; rules in src/inbox/work-order-link.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { linkWorkOrder, unlinkWorkOrder } from '../../inbox/work-order-link.js';

const security = [{ bearerAuth: [] }];
const workOrderRef = z.object({ id: z.uuid(), number: z.string(), title: z.string() });

export async function workOrderLinkRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put('/v1/conversations/:id/work-order', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Link a work order to a conversation',
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      body: z.object({ workOrderId: z.uuid() }),
      response: { 200: z.object({ id: z.uuid(), workOrder: workOrderRef, changed: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const result = await linkWorkOrder(trx, request.orgId, request.params.id, request.body.workOrderId, request.principal, new Date());
    return { id: request.params.id, ...result };
  }));

  r.delete('/v1/conversations/:id/work-order', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "Unlink a conversation's work order",
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ id: z.uuid(), changed: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const result = await unlinkWorkOrder(trx, request.orgId, request.params.id, request.principal, new Date());
    return { id: request.params.id, ...result };
  }));
}
