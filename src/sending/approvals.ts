/**
 * The Approval Queue (spec: messaging-inbox.txt). A gated author's reply is
 * stored `pending_approval` and nothing is sent. An approver may approve it,
 * optionally editing the text; it then goes through exactly the same send
 * rules as any other message (consent, window, template, bridge), in place.
 * Or they reject it with a reason the author sees. The draft row is locked
 * while deciding, so approving twice, or approving and rejecting at once,
 * has one outcome; the loser gets 409 `already_decided`. Every decision is
 * in the staff audit log.
 */
import type { Kysely } from 'kysely';
import type { Database, Message } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../server/errors.js';
import type { BridgeSettings } from './bridge.js';
import { composeInTransaction, type ComposeOutcome, type DraftRequest } from './compose-message.js';

async function lockDraft(trx: TenantTx, orgId: string, messageId: string): Promise<Message> {
  const draft = await trx.selectFrom('messages').selectAll().where('org_id', '=', orgId).where('id', '=', messageId).forUpdate().executeTakeFirst();
  if (!draft || draft.direction !== 'outbound') throw new AppError('not_found', 'No such message in this organisation.');
  if (draft.status !== 'pending_approval') throw new AppError('already_decided', `This message is no longer awaiting approval (it is ${draft.status}).`);
  return draft;
}

/**
 * Approve a draft, optionally with edited text, and compose it.
 * @throws AppError not_found | already_decided | any send-rule error (the draft then stays pending)
 */
export async function approveMessage(db: Kysely<Database>, queue: JobQueue, approver: Principal, messageId: string, editedBody: string | undefined, settings: BridgeSettings, now = new Date()): Promise<ComposeOutcome> {
  const orgId = approver.orgId;
  return withTenant(db, orgId, async (trx) => {
    const draft = await lockDraft(trx, orgId, messageId);
    const request = (draft.metadata.draft ?? {}) as DraftRequest;
    const body = editedBody?.trim() || draft.body;
    const outcome = await composeInTransaction(trx, queue, orgId, {
      conversationId: draft.conversation_id,
      sender: draft.sender_token_id ? { type: 'integration', tokenId: draft.sender_token_id } : { type: 'staff', userId: draft.sender_user_id },
      ...request,
      ...(request.template ? {} : { body }),
    }, settings, now, draft.id);
    await trx.updateTable('messages').set({ approved_by_id: approver.userId, decided_at: now }).where('org_id', '=', orgId).where('id', '=', draft.id).execute();
    await recordAudit(trx, approver, {
      action: 'message.approved',
      targetType: 'message',
      targetId: draft.id,
      before: { body: draft.body, status: draft.status },
      after: { body: outcome.outcome === 'suppressed' ? draft.body : outcome.message.body, outcome: outcome.outcome },
    });
    return outcome;
  });
}

/** @throws AppError not_found | already_decided */
export async function rejectMessage(db: Kysely<Database>, approver: Principal, messageId: string, reason: string, now = new Date()): Promise<Message> {
  const orgId = approver.orgId;
  return withTenant(db, orgId, async (trx) => {
    const draft = await lockDraft(trx, orgId, messageId);
    const rejected = await trx.updateTable('messages')
      .set({ status: 'rejected', failure_reason: reason, approved_by_id: approver.userId, decided_at: now, status_updated_at: now })
      .where('org_id', '=', orgId).where('id', '=', draft.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, approver, { action: 'message.rejected', targetType: 'message', targetId: draft.id, before: { status: draft.status }, after: { status: 'rejected' }, reason });
    return rejected;
  });
}
