/**
 * `GET /v1/spend?from=YYYY-MM&to=YYYY-MM`: provider cost per channel per
 * month (months in the organisation's time zone), per currency, with the
 * number of priced messages. Bridge SMS and template sends are included like
 * any other message (spec: whatsapp-24-hour-window.txt "Its cost appears in
 * your communications spend reports").
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function spendRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/spend', {
    config: { capability: 'settings.communication.manage' },
    schema: {
      summary: 'Messaging spend per channel per month',
      tags: ['spend'],
      security: [{ bearerAuth: [] }],
      querystring: z.object({
        from: z.string().regex(MONTH, 'YYYY-MM').describe('First month, inclusive'),
        to: z.string().regex(MONTH, 'YYYY-MM').describe('Last month, inclusive'),
      }),
      response: {
        200: z.object({
          timeZone: z.string(),
          rows: z.array(z.object({ month: z.string(), channel: z.string(), currency: z.string(), amount: z.string().describe('Exact decimal, major units'), messages: z.number().int() })),
        }),
      },
    },
  }, async (request) => {
    const { from, to } = request.query;
    return withTenant(db, request.orgId, async (trx) => {
      const org = await trx.selectFrom('organisations').select('time_zone').where('id', '=', request.orgId).executeTakeFirstOrThrow();
      const rows = await sql<{ month: string; channel: string; currency: string; amount: string; messages: number }>`
        SELECT to_char(occurred_at AT TIME ZONE ${org.time_zone}, 'YYYY-MM') AS month, channel, cost_currency AS currency,
               sum(cost)::text AS amount, count(*)::int AS messages
        FROM messages
        WHERE org_id = ${request.orgId} AND direction = 'outbound' AND cost IS NOT NULL
          AND to_char(occurred_at AT TIME ZONE ${org.time_zone}, 'YYYY-MM') BETWEEN ${from} AND ${to}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      `.execute(trx);
      return { timeZone: org.time_zone, rows: rows.rows };
    });
  });
}
