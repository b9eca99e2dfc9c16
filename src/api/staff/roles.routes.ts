/**
 * Roles (capability `roles.manage`, owners by default): list, create custom
 * roles, change a role's name or capabilities. A change applies on the next
 * request of every user with that role. Changes are in the staff audit log.
 * Nobody creates a role with, or adds to a role, a capability they do not
 * hold (403 `capability_not_held`, src/domain/role-grants.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { CAPABILITIES } from '../../auth/capabilities.js';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../server/errors.js';
import { grantRefusal, roleEditRefusal } from '../../domain/role-grants.js';

const security = [{ bearerAuth: [] }];
const roleSchema = z.object({ id: z.uuid(), key: z.string().nullable().describe('owner, manager, service_advisor, technician, or null for custom roles'), name: z.string(), capabilities: z.array(z.string()) });
const capabilityList = z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length).transform((c) => [...new Set(c)].sort());

export async function roleRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/roles', {
    config: { capability: ['roles.manage', 'staff.manage'] },
    schema: { summary: 'List roles', tags: ['staff'], security, response: { 200: z.object({ roles: z.array(roleSchema), capabilities: z.array(z.string()) }) } },
  }, async (request) => {
    const roles = await withTenant(db, request.orgId, (trx) => trx.selectFrom('roles').select(['id', 'key', 'name', 'capabilities']).where('org_id', '=', request.orgId).orderBy('created_at').execute());
    return { roles, capabilities: [...CAPABILITIES] };
  });

  r.post('/v1/roles', {
    config: { capability: 'roles.manage' },
    schema: { summary: 'Create a custom role', tags: ['staff'], security, body: z.object({ name: z.string().trim().min(1).max(80), capabilities: capabilityList }), response: { 201: roleSchema } },
  }, async (request, reply) => {
    const refusal = grantRefusal(request.principal.capabilities, { key: null, capabilities: request.body.capabilities }, 'create this role');
    if (refusal) throw new AppError(refusal.code, refusal.message);
    const role = await withTenant(db, request.orgId, async (trx) => {
      const created = await trx.insertInto('roles').values({ org_id: request.orgId, key: null, name: request.body.name, capabilities: request.body.capabilities })
        .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing()).returning(['id', 'key', 'name', 'capabilities']).executeTakeFirst();
      if (!created) throw new AppError('conflict', `A role named "${request.body.name}" already exists.`);
      await recordAudit(trx, request.principal, { action: 'role.created', targetType: 'role', targetId: created.id, after: created });
      return created;
    });
    return reply.status(201).send(role);
  });

  r.patch('/v1/roles/:id', {
    config: { capability: 'roles.manage' },
    schema: {
      summary: "Rename a role or change its capabilities",
      tags: ['staff'],
      security,
      params: z.object({ id: z.uuid() }),
      body: z.object({ name: z.string().trim().min(1).max(80).optional(), capabilities: capabilityList.optional(), reason: z.string().max(500).optional() }),
      response: { 200: roleSchema },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const before = await trx.selectFrom('roles').select(['id', 'key', 'name', 'capabilities']).where('org_id', '=', request.orgId).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'No such role in this organisation.');
    const caps = request.body.capabilities;
    if (before.key === 'owner' && caps && !caps.includes('roles.manage')) {
      throw new AppError('validation_failed', 'The Owner role must keep roles.manage, or nobody could manage roles.');
    }
    const refusal = caps ? roleEditRefusal(request.principal.capabilities, before.capabilities, caps) : null;
    if (refusal) throw new AppError(refusal.code, refusal.message);
    const after = await trx.updateTable('roles').set({ ...(request.body.name ? { name: request.body.name } : {}), ...(caps ? { capabilities: caps } : {}), updated_at: new Date() })
      .where('org_id', '=', request.orgId).where('id', '=', before.id).returning(['id', 'key', 'name', 'capabilities']).executeTakeFirstOrThrow();
    await recordAudit(trx, request.principal, { action: 'role.updated', targetType: 'role', targetId: before.id, before, after, reason: request.body.reason ?? null });
    return after;
  }));
}
