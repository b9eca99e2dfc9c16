/**
 * Work orders as the inbox needs them (spec: messaging-inbox.txt, "A search
 * dialog opens where you can find and select the work order"; "The same
 * thread view is rendered inside the Messages tab on the work-order detail
 * page"):
 * - `GET /v1/work-orders?q=`: search by number, customer name or vehicle
 *   registration (spaces and case ignored), active ones first, at most 20;
 * - `GET /v1/work-orders/{id}`: one work order (its page);
 * - `GET /v1/work-orders/{id}/conversation`: the conversation its Messages
 *   tab shows — the one linked to it, else its customer's.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { AppError } from '../../server/errors.js';

const security = [{ bearerAuth: [] }];

const workOrderSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  customer: z.object({ id: z.uuid(), name: z.string() }),
  registration: z.string().nullable(),
});

/** LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function workOrderRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/work-orders', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Search work orders by number, customer name or registration',
      tags: ['work orders'],
      security,
      querystring: z.object({ q: z.string().trim().max(100).default('') }),
      response: { 200: z.object({ workOrders: z.array(workOrderSchema) }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const q = request.query.q;
    const compact = q.replace(/\s+/g, '');
    let query = trx.selectFrom('work_orders as w')
      .innerJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'w.customer_id').onRef('cu.org_id', '=', 'w.org_id'))
      .leftJoin('vehicles as v', (j) => j.onRef('v.id', '=', 'w.vehicle_id').onRef('v.org_id', '=', 'w.org_id'))
      .select(['w.id', 'w.number', 'w.title', 'w.status', 'cu.id as customer_id', 'cu.name as customer_name', 'v.registration'])
      .where('w.org_id', '=', request.orgId)
      .orderBy(sql`w.status IN ('completed', 'cancelled')`).orderBy('w.created_at', 'desc').limit(20);
    if (q) {
      query = query.where((eb) => eb.or([
        eb('w.number', 'ilike', containing(q)),
        eb('cu.name', 'ilike', containing(q)),
        ...(compact ? [eb(sql`replace(v.registration, ' ', '')`, 'ilike', containing(compact))] : []),
      ]));
    }
    const rows = await query.execute();
    return {
      workOrders: rows.map((w) => ({ id: w.id, number: w.number, title: w.title, status: w.status, customer: { id: w.customer_id, name: w.customer_name }, registration: w.registration })),
    };
  }));

  r.get('/v1/work-orders/:id', {
    config: { capability: 'messages.view' },
    schema: { summary: 'One work order', tags: ['work orders'], security, params: z.object({ id: z.uuid() }), response: { 200: workOrderSchema } },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const w = await trx.selectFrom('work_orders as w')
      .innerJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'w.customer_id').onRef('cu.org_id', '=', 'w.org_id'))
      .leftJoin('vehicles as v', (j) => j.onRef('v.id', '=', 'w.vehicle_id').onRef('v.org_id', '=', 'w.org_id'))
      .select(['w.id', 'w.number', 'w.title', 'w.status', 'cu.id as customer_id', 'cu.name as customer_name', 'v.registration'])
      .where('w.org_id', '=', request.orgId).where('w.id', '=', request.params.id).executeTakeFirst();
    if (!w) throw new AppError('not_found', 'No such work order in this organisation.');
    return { id: w.id, number: w.number, title: w.title, status: w.status, customer: { id: w.customer_id, name: w.customer_name }, registration: w.registration };
  }));

  r.get('/v1/work-orders/:id/conversation', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "The conversation a work order's Messages tab shows",
      tags: ['work orders'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ conversationId: z.uuid() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const w = await trx.selectFrom('work_orders').select(['id', 'customer_id']).where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!w) throw new AppError('not_found', 'No such work order in this organisation.');
    const linked = await trx.selectFrom('conversations').select('id').where('org_id', '=', request.orgId).where('work_order_id', '=', w.id)
      .orderBy('last_activity_at', 'desc').limit(1).executeTakeFirst();
    const c = linked ?? await trx.selectFrom('conversations').select('id').where('org_id', '=', request.orgId).where('customer_id', '=', w.customer_id).executeTakeFirst();
    if (!c) throw new AppError('not_found', 'There is no conversation with this customer yet.');
    return { conversationId: c.id };
  }));
}
