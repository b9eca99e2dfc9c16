/**
 * The inbox read API (docs/inbox-api.md; spec: messaging-inbox.txt):
 * - `GET /v1/conversations?range=&start=&end=&filter=&q=&limit=&cursor=`:
 *   a page of rows for a date scope and read filter, newest activity first,
 *   with the four filter counts of the scope; with `q`, ranked search
 *   results across all time instead;
 * - `GET /v1/conversations/{id}`: one conversation with its customer's
 *   details and active work orders;
 * - `GET /v1/conversations/{id}/thread?limit=&before=`: the thread page and reply options;
 * - `GET /v1/conversations/{id}/messages?limit=&before=`: messages only (integrations);
 * - `POST /v1/conversations/{id}/read`: mark the thread's unread messages read.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant, type TenantTx } from '../../db/tenant.js';
import { AppError } from '../../server/errors.js';
import { canSeeContact } from '../../auth/redaction.js';
import { DATE_PRESETS, DATE_PRESET_LABELS, DEFAULT_DATE_PRESET, DateRangeError, dateRange, type DateRange } from '../../domain/date-range.js';
import { conversationRowSchema, filterCountsSchema } from '../../inbox/conversation-row.schema.js';
import { filterCounts, listConversationPage, READ_FILTERS } from '../../inbox/list-conversations.js';
import { searchInbox } from '../../inbox/search-rows.js';
import { loadConversationDetail, loadThread } from '../../inbox/thread.js';
import { conversationDetailSchema, threadSchema } from '../../inbox/thread.schema.js';
import { markConversationRead } from '../../inbox/mark-read.js';
import { messageSchema } from './conversation.presenter.js';
import { presentMessage } from '../messages/message.presenter.js';
import { decodeCursor, listMessages } from './conversation.queries.js';

const security = [{ bearerAuth: [] }];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function cursorOrThrow(raw: string | undefined, name: string) {
  if (raw === undefined) return null;
  const c = decodeCursor(raw);
  if (!c) throw new AppError('validation_failed', `${name} is not a cursor this API issued.`);
  return c;
}

/** @throws not_found when the conversation is not in this organisation */
async function conversationOr404(trx: TenantTx, orgId: string, id: string): Promise<void> {
  const exists = await trx.selectFrom('conversations').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!exists) throw new AppError('not_found', 'No such conversation in this organisation.');
}

const listQuery = z.object({
  range: z.enum(DATE_PRESETS as [string, ...string[]]).default(DEFAULT_DATE_PRESET).describe('Date scope preset (organisation time zone)'),
  start: z.string().regex(DAY).optional().describe('First day of a custom range, YYYY-MM-DD'),
  end: z.string().regex(DAY).optional().describe('Last day of a custom range (inclusive), YYYY-MM-DD'),
  filter: z.enum(READ_FILTERS as [string, ...string[]]).default('all'),
  q: z.string().trim().max(200).optional().describe('Search text: ignores range and filter'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});

const listResponse = z.object({
  conversations: z.array(conversationRowSchema),
  nextCursor: z.string().nullable(),
  counts: filterCountsSchema,
  range: z.object({ preset: z.string(), label: z.string(), from: z.string().nullable(), to: z.string().nullable(), timeZone: z.string() }),
  filter: z.string(),
  query: z.string().nullable(),
});

export async function conversationRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/conversations', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'List conversations for a date scope and read filter, with the filter counts; or search',
      description: 'Newest activity first, 50 a page. A conversation is in a date range when any message, status change or note on it falls inside it. With q, returns ranked search results across all time (nextCursor null).',
      tags: ['conversations'],
      security,
      querystring: listQuery,
      response: { 200: listResponse },
    },
  }, async (request) => {
    const query = request.query;
    const after = cursorOrThrow(query.cursor, 'cursor');
    const principal = request.principal;
    const viewer = { contactVisible: canSeeContact(principal) };
    const now = new Date();
    return withTenant(db, request.orgId, async (trx) => {
      const { time_zone: timeZone } = await trx.selectFrom('organisations').select('time_zone').where('id', '=', request.orgId).executeTakeFirstOrThrow();
      let range: DateRange;
      try {
        range = dateRange({ preset: query.range as (typeof DATE_PRESETS)[number], now, timeZone, ...(query.start || query.end ? { custom: { start: query.start ?? '', end: query.end ?? '' } } : {}) });
      } catch (err) {
        if (err instanceof DateRangeError) throw new AppError('validation_failed', err.message);
        throw err;
      }
      const filter = query.filter as (typeof READ_FILTERS)[number];
      const counts = await filterCounts(trx, request.orgId, range, timeZone, principal.userId);
      const page = query.q
        ? { conversations: await searchInbox(trx, request.orgId, query.q, query.limit, now, viewer), nextCursor: null }
        : await listConversationPage(trx, request.orgId, { range, timeZone, filter, userId: principal.userId, limit: query.limit, after, now, viewer });
      return {
        ...page,
        counts,
        range: { preset: query.range, label: DATE_PRESET_LABELS[query.range as (typeof DATE_PRESETS)[number]], from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null, timeZone },
        filter,
        query: query.q || null,
      };
    });
  });

  r.get('/v1/conversations/:id', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "Read one conversation, with its customer's details and active work orders",
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: conversationDetailSchema },
    },
  }, async (request) => {
    const c = await withTenant(db, request.orgId, (trx) => loadConversationDetail(trx, request.orgId, request.params.id, new Date(), { contactVisible: canSeeContact(request.principal) }));
    if (!c) throw new AppError('not_found', 'No such conversation in this organisation.');
    return c;
  });

  r.get('/v1/conversations/:id/thread', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Open a thread: the conversation, a page of entries in chronological order, and the reply options',
      description: 'Reading changes nothing: mark the thread read with POST /v1/conversations/{id}/read.',
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        before: z.string().optional().describe('earlierCursor of the previous page, to load earlier messages'),
      }),
      response: { 200: threadSchema },
    },
  }, async (request) => {
    const before = cursorOrThrow(request.query.before, 'before');
    const thread = await withTenant(db, request.orgId, (trx) => loadThread(trx, request.orgId, request.params.id, {
      limit: request.query.limit, before, now: new Date(), viewer: { contactVisible: canSeeContact(request.principal) },
    }));
    if (!thread) throw new AppError('not_found', 'No such conversation in this organisation.');
    return thread;
  });

  r.post('/v1/conversations/:id/read', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "Mark the thread's unread messages read",
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ markedRead: z.number().int() }) },
    },
  }, async (request) => withTenant(db, request.orgId, async (trx) => {
    await conversationOr404(trx, request.orgId, request.params.id);
    return { markedRead: await markConversationRead(trx, request.orgId, request.params.id, { userId: request.principal.userId }, new Date()) };
  }));

  r.get('/v1/conversations/:id/messages', {
    config: { capability: 'messages.view' },
    schema: {
      summary: "Read a conversation's messages in chronological order",
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.string().optional().describe('earlierCursor of the previous page, to load earlier messages'),
      }),
      response: { 200: z.object({ messages: z.array(messageSchema), earlierCursor: z.string().nullable() }) },
    },
  }, async (request) => {
    const before = cursorOrThrow(request.query.before, 'before');
    return withTenant(db, request.orgId, async (trx) => {
      await conversationOr404(trx, request.orgId, request.params.id);
      const page = await listMessages(trx, request.orgId, request.params.id, request.query.limit, before);
      return { messages: page.messages.map((m) => presentMessage(m, canSeeContact(request.principal))), earlierCursor: page.earlierCursor };
    });
  });
}
