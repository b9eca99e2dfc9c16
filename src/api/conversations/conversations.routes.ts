/**
 * Read API for what has landed:
 * - `GET /v1/conversations?limit=&cursor=` newest activity first;
 * - `GET /v1/conversations/{id}`;
 * - `GET /v1/conversations/{id}/messages?limit=&before=` chronological.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import { AppError } from '../../server/errors.js';
import { canSeeContact } from '../../auth/redaction.js';
import { conversationSchema, messageSchema } from './conversation.presenter.js';
import { decodeCursor, getConversation, listConversations, listMessages } from './conversation.queries.js';

const security = [{ bearerAuth: [] }];

function cursorOrThrow(raw: string | undefined, name: string) {
  if (raw === undefined) return null;
  const c = decodeCursor(raw);
  if (!c) throw new AppError('validation_failed', `${name} is not a cursor this API issued.`);
  return c;
}

export async function conversationRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/conversations', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'List conversations, newest activity first',
      tags: ['conversations'],
      security,
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().optional().describe('nextCursor of the previous page'),
      }),
      response: { 200: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => {
    const after = cursorOrThrow(request.query.cursor, 'cursor');
    return withTenant(db, request.orgId, (trx) => listConversations(trx, request.orgId, request.query.limit, after, new Date(), canSeeContact(request.principal)));
  });

  r.get('/v1/conversations/:id', {
    config: { capability: 'messages.view' },
    schema: {
      summary: 'Read one conversation',
      tags: ['conversations'],
      security,
      params: z.object({ id: z.uuid() }),
      response: { 200: conversationSchema },
    },
  }, async (request) => {
    const c = await withTenant(db, request.orgId, (trx) => getConversation(trx, request.orgId, request.params.id, new Date(), canSeeContact(request.principal)));
    if (!c) throw new AppError('not_found', 'No such conversation in this organisation.');
    return c;
  });

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
      const exists = await trx.selectFrom('conversations').select('id').where('org_id', '=', request.orgId).where('id', '=', request.params.id).executeTakeFirst();
      if (!exists) throw new AppError('not_found', 'No such conversation in this organisation.');
      return listMessages(trx, request.orgId, request.params.id, request.query.limit, before);
    });
  });
}
