/**
 * Settings > Communication > Quick Messages (capability `messages.tier.manage`):
 * - `POST /v1/quick-messages` `{title, body}`: add one at the end (201);
 * - `PUT /v1/quick-messages/{id}` `{title, body}`: edit;
 * - `DELETE /v1/quick-messages/{id}`;
 * - `PUT /v1/quick-messages/order` `{ids}`: the new order, every id once.
 * Titles are unique per garage (409 `conflict`). Each change appends a
 * `settings.quick_messages` event, so open composers refetch their list.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant, type TenantTx } from '../../db/tenant.js';
import { AppError } from '../../server/errors.js';

const quickMessage = z.object({ id: z.uuid(), title: z.string(), body: z.string() });
const input = z.object({ title: z.string().trim().min(1).max(80), body: z.string().trim().min(1).max(1600) });
const params = z.object({ id: z.uuid() });
const meta = { tags: ['messages'], security: [{ bearerAuth: [] }] };

async function changed(trx: TenantTx, orgId: string): Promise<void> {
  await trx.insertInto('inbox_events').values({ org_id: orgId, type: 'settings.quick_messages', conversation_id: null, payload: '{}' }).execute();
}

/** Runs `fn`, turning the unique-title violation into 409. */
async function uniqueTitle<T>(title: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `A quick message titled "${title}" already exists.`);
    throw err;
  }
}

export async function quickMessageManageRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { capability: 'messages.tier.manage' as const };

  r.post('/v1/quick-messages', { config, schema: { ...meta, summary: 'Add a quick message', body: input, response: { 201: quickMessage } } }, async (request, reply) => {
    const orgId = request.orgId;
    const row = await uniqueTitle(request.body.title, () => withTenant(db, orgId, async (trx) => {
      const last = await trx.selectFrom('quick_messages').select((eb) => eb.fn.max('position').as('max')).where('org_id', '=', orgId).executeTakeFirst();
      const created = await trx.insertInto('quick_messages').values({ org_id: orgId, ...request.body, position: Number(last?.max ?? -1) + 1 })
        .returning(['id', 'title', 'body']).executeTakeFirstOrThrow();
      await changed(trx, orgId);
      return created;
    }));
    return reply.status(201).send(row);
  });

  r.put('/v1/quick-messages/order', {
    config,
    schema: { ...meta, summary: 'Reorder the quick messages', body: z.object({ ids: z.array(z.uuid()).max(500) }), response: { 200: z.object({ quickMessages: z.array(quickMessage) }) } },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const orgId = request.orgId;
    const existing = await trx.selectFrom('quick_messages').select('id').where('org_id', '=', orgId).forUpdate().execute();
    const ids = request.body.ids;
    const known = new Set(existing.map((q) => q.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
      throw new AppError('validation_failed', 'body.ids: give every quick message id exactly once.');
    }
    for (const [position, id] of ids.entries()) await trx.updateTable('quick_messages').set({ position }).where('org_id', '=', orgId).where('id', '=', id).execute();
    await changed(trx, orgId);
    return { quickMessages: await trx.selectFrom('quick_messages').select(['id', 'title', 'body']).where('org_id', '=', orgId).orderBy('position').orderBy('title').execute() };
  }));

  r.put('/v1/quick-messages/:id', { config, schema: { ...meta, summary: 'Edit a quick message', params, body: input, response: { 200: quickMessage } } }, async (request) => {
    const orgId = request.orgId;
    return uniqueTitle(request.body.title, () => withTenant(db, orgId, async (trx) => {
      const row = await trx.updateTable('quick_messages').set(request.body).where('org_id', '=', orgId).where('id', '=', request.params.id)
        .returning(['id', 'title', 'body']).executeTakeFirst();
      if (!row) throw new AppError('not_found', 'No such quick message.');
      await changed(trx, orgId);
      return row;
    }));
  });

  r.delete('/v1/quick-messages/:id', { config, schema: { ...meta, summary: 'Delete a quick message', params, response: { 204: z.null() } } }, async (request, reply) => {
    const orgId = request.orgId;
    await withTenant(db, orgId, async (trx) => {
      const gone = await trx.deleteFrom('quick_messages').where('org_id', '=', orgId).where('id', '=', request.params.id).executeTakeFirst();
      if (!gone.numDeletedRows) throw new AppError('not_found', 'No such quick message.');
      await changed(trx, orgId);
    });
    return reply.status(204).send(null);
  });
}
