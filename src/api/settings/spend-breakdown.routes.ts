/**
 * The Spend page's data (capability `settings.communication.manage`):
 * - `GET /v1/spend/breakdown?from=YYYY-MM&to=YYYY-MM`: cost per month
 *   (organisation time zone) × channel × kind, where kind is `bridge` (bridge
 *   SMS, spec: "Its cost appears in your communications spend reports"),
 *   `template` (WhatsApp template sends, billed per notification) or
 *   `message` (everything else);
 * - `GET /v1/spend.csv?from=…&to=…`: the same rows as a CSV download.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const range = z.object({ from: z.string().regex(MONTH, 'YYYY-MM'), to: z.string().regex(MONTH, 'YYYY-MM') });
const row = z.object({ month: z.string(), channel: z.string(), kind: z.enum(['bridge', 'template', 'message']), currency: z.string(), amount: z.string(), messages: z.number().int() });
type Row = z.infer<typeof row>;

async function breakdown(db: Kysely<Database>, orgId: string, from: string, to: string): Promise<{ timeZone: string; rows: Row[] }> {
  return withTenant(db, orgId, async (trx) => {
    const org = await trx.selectFrom('organisations').select('time_zone').where('id', '=', orgId).executeTakeFirstOrThrow();
    const rows = await sql<Row>`
      SELECT to_char(occurred_at AT TIME ZONE ${org.time_zone}, 'YYYY-MM') AS month, channel,
             CASE WHEN notification_type = 'bridge' THEN 'bridge' WHEN template_id IS NOT NULL THEN 'template' ELSE 'message' END AS kind,
             cost_currency AS currency, sum(cost)::text AS amount, count(*)::int AS messages
      FROM messages
      WHERE org_id = ${orgId} AND direction = 'outbound' AND cost IS NOT NULL
        AND to_char(occurred_at AT TIME ZONE ${org.time_zone}, 'YYYY-MM') BETWEEN ${from} AND ${to}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    `.execute(trx);
    return { timeZone: org.time_zone, rows: rows.rows };
  });
}

export async function spendBreakdownRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = { tags: ['spend'], security: [{ bearerAuth: [] }] };
  r.get('/v1/spend/breakdown', {
    config: { capability: 'settings.communication.manage' },
    schema: { ...meta, summary: 'Spend per month, channel and kind (bridge SMS, templates, messages)', querystring: range, response: { 200: z.object({ timeZone: z.string(), rows: z.array(row) }) } },
  }, async (request) => breakdown(db, request.orgId, request.query.from, request.query.to));

  r.get('/v1/spend.csv', {
    config: { capability: 'settings.communication.manage' },
    schema: { ...meta, summary: 'Spend as CSV', querystring: range },
  }, async (request, reply) => {
    const { from, to } = request.query;
    const { rows } = await breakdown(db, request.orgId, from, to);
    const csv = stringify(rows.map((x) => [x.month, x.channel, x.kind, x.currency, x.amount, x.messages]), { header: true, columns: ['month', 'channel', 'kind', 'currency', 'amount', 'messages'] });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="spend-${from}-to-${to}.csv"`).send(csv);
  });
}
