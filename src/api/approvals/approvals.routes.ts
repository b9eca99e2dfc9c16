/**
 * Approval Queue API (capability `messages.approve`):
 * - `GET /v1/approvals`: replies awaiting approval, oldest first, with conversation context;
 * - `POST /v1/approvals/{id}/approve` {body?}: approve (optionally edited) and send by the usual rules;
 * - `POST /v1/approvals/{id}/reject` {reason}: reject with a reason shown to the author.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database, Message } from '../../db/schema.js';
import { withTenant } from '../../db/tenant.js';
import type { JobQueue } from '../../jobs/queue.js';
import { canSeeContact } from '../../auth/redaction.js';
import { approveMessage, rejectMessage } from '../../sending/approvals.js';
import { messageSchema } from '../conversations/conversation.presenter.js';
import { presentMessage } from '../messages/message.presenter.js';
import { sendMessageResponse, suppressedResponse } from '../messages/send-message.schema.js';
import { bridgeSettings } from '../../sending/bridge.js';

const security = [{ bearerAuth: [] }];

const approvalSchema = z.object({
  message: messageSchema,
  author: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
  conversation: z.object({
    id: z.uuid(),
    customerName: z.string().nullable(),
    contactPhone: z.string().nullable().describe('Redacted for roles without customers.contact.view'),
    lastChannel: z.string().nullable(),
  }),
  recentMessages: z.array(messageSchema).describe('The last messages of the conversation before the draft, oldest first'),
});

export async function approvalRoutes(app: FastifyInstance, { db, queue, config }: { db: Kysely<Database>; queue: JobQueue; config: Config }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = bridgeSettings(config);

  r.get('/v1/approvals', {
    config: { capability: 'messages.approve' },
    schema: { summary: 'Replies awaiting approval, oldest first', tags: ['approvals'], security, response: { 200: z.object({ approvals: z.array(approvalSchema) }) } },
  }, async (request) => {
    const orgId = request.orgId;
    const contact = canSeeContact(request.principal);
    return withTenant(db, orgId, async (trx) => {
      const drafts = await trx.selectFrom('messages as m')
        .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'm.conversation_id').onRef('c.org_id', '=', 'm.org_id'))
        .leftJoin('customers as cu', (j) => j.onRef('cu.id', '=', 'c.customer_id').onRef('cu.org_id', '=', 'c.org_id'))
        .leftJoin('staff_users as u', (j) => j.onRef('u.id', '=', 'm.sender_user_id').onRef('u.org_id', '=', 'm.org_id'))
        .leftJoin('api_tokens as t', (j) => j.onRef('t.id', '=', 'm.sender_token_id').onRef('t.org_id', '=', 'm.org_id'))
        .selectAll('m')
        .select(['cu.name as customer_name', 'cu.phone as customer_phone', 'c.contact_phone', 'c.contact_name', 'c.last_channel', 'u.name as author_name', 't.name as token_name'])
        .where('m.org_id', '=', orgId).where('m.status', '=', 'pending_approval')
        .orderBy('m.created_at').orderBy('m.id').limit(200).execute();
      // Each draft's context, in one statement for the whole queue: the conversation as the thread
      // shows it (by when each message happened, not when its row was written: imported or
      // provider-timestamped rows are written out of order), the garage's own replies included;
      // other drafts and rejected drafts were never sent, so they are not context.
      const context = drafts.length === 0 ? [] : (await sql<Message & { draft_id: string }>`
        SELECT r.*, d.id AS draft_id
        FROM unnest(${drafts.map((d) => d.id)}::uuid[], ${drafts.map((d) => d.conversation_id)}::uuid[], ${drafts.map((d) => d.occurred_at)}::timestamptz[])
          AS d (id, conversation_id, occurred_at)
        CROSS JOIN LATERAL (
          SELECT * FROM messages m
          WHERE m.org_id = ${orgId} AND m.conversation_id = d.conversation_id AND m.id <> d.id AND m.occurred_at <= d.occurred_at
            AND (m.status IS NULL OR m.status NOT IN ('pending_approval', 'rejected'))
          ORDER BY m.occurred_at DESC, m.created_at DESC
          LIMIT 3
        ) r`.execute(trx)).rows;
      const recentByDraft = new Map<string, Message[]>();
      for (const m of context) recentByDraft.set(m.draft_id, [...(recentByDraft.get(m.draft_id) ?? []), m]);
      const approvals = drafts.map((d) => ({
        message: presentMessage(d, contact),
        author: { id: d.sender_user_id, name: d.author_name ?? d.token_name },
        conversation: {
          id: d.conversation_id,
          customerName: d.customer_name ?? d.contact_name,
          contactPhone: contact ? d.customer_phone ?? d.contact_phone : null,
          lastChannel: d.last_channel,
        },
        recentMessages: (recentByDraft.get(d.id) ?? []).reverse().map((m) => presentMessage(m, contact)),
      }));
      return { approvals };
    });
  });

  r.post('/v1/approvals/:id/approve', {
    config: { capability: 'messages.approve' },
    schema: {
      summary: 'Approve a reply (optionally edited); it is sent by the usual rules',
      tags: ['approvals'],
      security,
      params: z.object({ id: z.uuid() }),
      body: z.object({ body: z.string().max(4096).optional().describe('Edited text; default: the text as drafted') }).default({}),
      response: { 200: sendMessageResponse.or(suppressedResponse) },
    },
  }, async (request) => {
    const outcome = await approveMessage(db, queue, request.principal, request.params.id, request.body.body, settings);
    if (outcome.outcome === 'suppressed') return outcome;
    const contact = canSeeContact(request.principal);
    return { outcome: outcome.outcome, message: presentMessage(outcome.message, contact), bridge: outcome.outcome === 'bridged' ? presentMessage(outcome.bridge, contact) : null };
  });

  r.post('/v1/approvals/:id/reject', {
    config: { capability: 'messages.approve' },
    schema: {
      summary: 'Reject a reply with a reason shown to its author',
      tags: ['approvals'],
      security,
      params: z.object({ id: z.uuid() }),
      body: z.object({ reason: z.string().trim().min(1).max(1000) }),
      response: { 200: messageSchema },
    },
  }, async (request) => presentMessage(await rejectMessage(db, request.principal, request.params.id, request.body.reason), canSeeContact(request.principal)));
}
