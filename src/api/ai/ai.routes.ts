/**
 * The AI receptionist API:
 * - `GET /v1/ai/status` (messages.view): AI on/off, credit exhaustion and
 *   credits left — the inbox's "AI credit exhausted" notice;
 * - `POST /v1/ai/credits/top-ups` (settings.communication.manage):
 *   `{credits, requestId}` adds credits once per requestId and, above zero,
 *   takes the organisation out of credit-exhaustion degradation;
 * - `GET /v1/ai/analytics?range=&start=&end=` (ai.analytics.view): the AI
 *   Analytics tab (src/ai/analytics.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { DATE_PRESETS, DEFAULT_DATE_PRESET, DateRangeError, dateRange, type DatePreset } from '../../domain/date-range.js';
import { AppError } from '../../server/errors.js';
import { aiAnalytics } from '../../ai/analytics.js';
import { settleCreditState, topUp } from '../../ai/credits.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function aiRoutes(app: FastifyInstance, { db, config }: { db: Kysely<Database>; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const credit = { monthlyCredits: config.AI_MONTHLY_CREDITS };
  const status = z.object({ enabled: z.boolean(), creditExhausted: z.boolean(), creditsLeft: z.number() });

  r.get('/v1/ai/status', {
    config: { capability: 'messages.view' },
    schema: { summary: 'AI receptionist on/off and credit state', tags: ['ai'], security: [{ bearerAuth: [] }], response: { 200: status } },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const org = await trx.selectFrom('organisations').select(['ai_enabled']).where('id', '=', request.orgId).executeTakeFirstOrThrow();
    const settled = await settleCreditState(trx, request.orgId, credit, new Date());
    return { enabled: org.ai_enabled, creditExhausted: settled.exhausted, creditsLeft: settled.balance };
  }));

  r.post('/v1/ai/credits/top-ups', {
    config: { capability: 'settings.communication.manage' },
    schema: {
      summary: 'Add AI credits', tags: ['ai'], security: [{ bearerAuth: [] }],
      body: z.object({ credits: z.number().positive().max(10_000_000), requestId: z.string().min(1).max(100).describe('Idempotency key: the same request twice credits once') }),
      response: { 201: status.extend({ applied: z.boolean() }) },
    },
  }, async (request, reply) => {
    const result = await withTenant(db, request.orgId, async (trx) => {
      const now = new Date();
      const applied = await topUp(trx, request.orgId, request.body.requestId, request.body.credits, now);
      const settled = await settleCreditState(trx, request.orgId, credit, now);
      const org = await trx.selectFrom('organisations').select('ai_enabled').where('id', '=', request.orgId).executeTakeFirstOrThrow();
      return { enabled: org.ai_enabled, creditExhausted: settled.exhausted, creditsLeft: settled.balance, applied };
    });
    return reply.status(201).send(result);
  });

  r.get('/v1/ai/analytics', {
    config: { capability: 'ai.analytics.view' },
    schema: {
      summary: 'AI Analytics for a date range', tags: ['ai'], security: [{ bearerAuth: [] }],
      querystring: z.object({
        range: z.enum(DATE_PRESETS as [string, ...string[]]).default(DEFAULT_DATE_PRESET),
        start: z.string().regex(DAY).optional(),
        end: z.string().regex(DAY).optional(),
      }),
      response: {
        200: z.object({
          enabled: z.boolean(),
          creditExhausted: z.boolean(),
          replies: z.number().int(),
          resolvedWithoutStaff: z.number().int(),
          handoffs: z.array(z.object({ reason: z.string(), count: z.number().int() })),
          credits: z.object({ used: z.number(), left: z.number() }),
          latency: z.array(z.object({ channel: z.string(), replies: z.number().int(), p50Ms: z.number(), p95Ms: z.number() })),
          daily: z.array(z.object({ day: z.string(), replies: z.number().int(), handoffs: z.number().int() })),
        }),
      },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    const org = await trx.selectFrom('organisations').select(['ai_enabled', 'ai_credit_exhausted', 'time_zone']).where('id', '=', request.orgId).executeTakeFirstOrThrow();
    const q = request.query;
    const now = new Date();
    let range;
    try {
      range = dateRange({ preset: q.range as DatePreset, now, timeZone: org.time_zone, ...(q.start || q.end ? { custom: { start: q.start ?? '', end: q.end ?? '' } } : {}) });
    } catch (err) {
      if (err instanceof DateRangeError) throw new AppError('validation_failed', err.message);
      throw err;
    }
    const figures = await aiAnalytics(trx, request.orgId, range, org.time_zone, credit, now);
    return { enabled: org.ai_enabled, creditExhausted: org.ai_credit_exhausted, ...figures };
  }));
}
