/**
 * Staff users: `GET /v1/staff` (anyone who sees messages: the assignment
 * dropdown; emails only with `staff.manage`), `POST /v1/staff` and
 * `PATCH /v1/staff/{id}` (role change, disable) with `staff.manage`, audited.
 * Nobody grants a role holding a capability they do not hold, only holders
 * of `roles.manage` touch an owner, and the last active owner stays
 * (src/domain/role-grants.ts); 403 `capability_not_held`, 409 `last_owner`.
 * Emails are unique per organisation: an address used in another garage is
 * neither refused nor revealed.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { recordAudit } from '../../auth/audit.js';
import { createStaffUser } from '../../staff/create-staff-user.js';
import { AppError } from '../../server/errors.js';
import { demotesOwner, grantRefusal, staffChangeRefusal, type GrantRefusal } from '../../domain/role-grants.js';
import type { TenantTx } from '../../db/tenant.js';

function refuse(refusal: GrantRefusal | null): void {
  if (refusal) throw new AppError(refusal.code, refusal.message);
}

function findRole(trx: TenantTx, orgId: string, roleId: string) {
  return trx.selectFrom('roles').select(['id', 'key', 'capabilities']).where('org_id', '=', orgId).where('id', '=', roleId).executeTakeFirst();
}

/**
 * Active owners other than `userId`, counted after locking the Owner role's
 * row: every change that could remove an owner takes this lock first, so
 * two concurrent demotions of the last two owners run one after the other
 * and the second sees the first.
 */
async function otherActiveOwners(trx: TenantTx, orgId: string, userId: string): Promise<number> {
  await trx.selectFrom('roles').select('id').where('org_id', '=', orgId).where('key', '=', 'owner').forUpdate().execute();
  const row = await trx.selectFrom('staff_users as u')
    .innerJoin('roles as r', (j) => j.onRef('r.id', '=', 'u.role_id').onRef('r.org_id', '=', 'u.org_id'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('u.org_id', '=', orgId).where('r.key', '=', 'owner').where('u.disabled_at', 'is', null).where('u.id', '<>', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const security = [{ bearerAuth: [] }];
const staffSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable(), roleId: z.uuid(), roleName: z.string(), disabled: z.boolean() });

export async function staffUserRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const list = (orgId: string) => withTenant(db, orgId, (trx) => trx.selectFrom('staff_users as u')
    .innerJoin('roles as r', (j) => j.onRef('r.id', '=', 'u.role_id').onRef('r.org_id', '=', 'u.org_id'))
    .select(['u.id', 'u.name', 'u.email', 'u.role_id', 'r.name as role_name', 'u.disabled_at']).where('u.org_id', '=', orgId).orderBy('u.name').execute());

  r.get('/v1/staff', {
    config: { capability: 'messages.view' },
    schema: { summary: 'List staff users', tags: ['staff'], security, response: { 200: z.object({ staff: z.array(staffSchema) }) } },
  }, async (request) => {
    const showEmail = request.principal.capabilities.has('staff.manage');
    return { staff: (await list(request.orgId)).map((u) => ({ id: u.id, name: u.name, email: showEmail ? u.email : null, roleId: u.role_id, roleName: u.role_name, disabled: Boolean(u.disabled_at) })) };
  });

  r.post('/v1/staff', {
    config: { capability: 'staff.manage' },
    schema: {
      summary: 'Create a staff user',
      tags: ['staff'],
      security,
      body: z.object({ email: z.email(), name: z.string().trim().min(1).max(200), roleId: z.uuid(), password: z.string().max(1024).nullable().default(null).describe('Null: the user sets one through password reset') }),
      response: { 201: z.object({ id: z.uuid() }) },
    },
  }, async (request, reply) => {
    const id = await withTenant(db, request.orgId, async (trx) => {
      const role = await findRole(trx, request.orgId, request.body.roleId);
      if (!role) throw new AppError('validation_failed', 'roleId is not a role of this organisation.');
      refuse(grantRefusal(request.principal.capabilities, role));
      const userId = await createStaffUser(trx, request.orgId, request.body);
      await recordAudit(trx, request.principal, { action: 'staff.created', targetType: 'staff_user', targetId: userId, after: { email: request.body.email.toLowerCase(), roleId: role.id } });
      return userId;
    });
    return reply.status(201).send({ id });
  });

  r.patch('/v1/staff/:id', {
    config: { capability: 'staff.manage' },
    schema: {
      summary: "Change a staff user's role, or disable them",
      tags: ['staff'],
      security,
      params: z.object({ id: z.uuid() }),
      body: z.object({ roleId: z.uuid().optional(), disabled: z.boolean().optional(), reason: z.string().max(500).optional() }),
      response: { 200: z.object({ id: z.uuid(), roleId: z.uuid(), disabled: z.boolean() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const before = await trx.selectFrom('staff_users').select(['id', 'role_id', 'disabled_at']).where('org_id', '=', request.orgId).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'No such staff user in this organisation.');
    const current = (await findRole(trx, request.orgId, before.role_id))!;
    const nextRole = request.body.roleId && request.body.roleId !== before.role_id ? await findRole(trx, request.orgId, request.body.roleId) : null;
    if (request.body.roleId && request.body.roleId !== before.role_id && !nextRole) throw new AppError('validation_failed', 'roleId is not a role of this organisation.');
    const disable = request.body.disabled === undefined || request.body.disabled === Boolean(before.disabled_at) ? null : request.body.disabled;
    const change = { current, active: !before.disabled_at, nextRole: nextRole ?? null, disable };
    const others = demotesOwner(change) ? await otherActiveOwners(trx, request.orgId, before.id) : 0;
    refuse(staffChangeRefusal(request.principal.capabilities, { ...change, otherActiveOwners: others }));
    const disabledAt = request.body.disabled === undefined ? before.disabled_at : request.body.disabled ? before.disabled_at ?? new Date() : null;
    const after = await trx.updateTable('staff_users').set({ role_id: request.body.roleId ?? before.role_id, disabled_at: disabledAt })
      .where('org_id', '=', request.orgId).where('id', '=', before.id).returning(['id', 'role_id', 'disabled_at']).executeTakeFirstOrThrow();
    if (after.disabled_at) await trx.deleteFrom('staff_sessions').where('org_id', '=', request.orgId).where('user_id', '=', before.id).execute();
    await recordAudit(trx, request.principal, {
      action: 'staff.updated', targetType: 'staff_user', targetId: before.id,
      before: { roleId: before.role_id, disabled: Boolean(before.disabled_at) }, after: { roleId: after.role_id, disabled: Boolean(after.disabled_at) }, reason: request.body.reason ?? null,
    });
    return { id: after.id, roleId: after.role_id, disabled: Boolean(after.disabled_at) };
  }));
}
