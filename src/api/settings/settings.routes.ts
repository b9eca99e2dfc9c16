/**
 * Every route of the settings area (issue 13), registered inside the
 * guarded `/v1` scope by one call from `src/server/app.ts`.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/queue.js';
import { communicationSettingsRoutes } from './communication.routes.js';
import { quickMessageManageRoutes } from './quick-messages-manage.routes.js';
import { bridgeSmsRoutes } from './bridge-sms.routes.js';
import { templateSyncRoutes } from './template-sync.routes.js';
import { spendBreakdownRoutes } from './spend-breakdown.routes.js';
import { channelSettingsRoutes } from './channels.routes.js';

export type SettingsRouteDeps = { db: Kysely<Database>; config: Config; queue: JobQueue };

export async function settingsRoutes(app: FastifyInstance, deps: SettingsRouteDeps): Promise<void> {
  await communicationSettingsRoutes(app, deps);
  await quickMessageManageRoutes(app, deps);
  await bridgeSmsRoutes(app, deps);
  await templateSyncRoutes(app, deps);
  await spendBreakdownRoutes(app, deps);
  await channelSettingsRoutes(app, deps);
}
