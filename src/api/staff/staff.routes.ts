/** Registers the staff, roles, audit-log and customer-consent routes. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { consentRoutes } from '../customers/consent.routes.js';
import { auditLogRoutes } from './audit-log.routes.js';
import { meRoutes } from './me.routes.js';
import { roleRoutes } from './roles.routes.js';
import { staffUserRoutes } from './staff-users.routes.js';

export async function staffRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): Promise<void> {
  await meRoutes(app);
  await roleRoutes(app, deps);
  await staffUserRoutes(app, deps);
  await auditLogRoutes(app, deps);
  await consentRoutes(app, deps);
}
