/**
 * Staff retry of a failed message (spec: messaging-inbox.txt "Select the
 * retry option to re-queue the message"). Only failures at the provider are
 * retried; a message the rules stopped (closed window, bridge) would only
 * meet the same rule again, so it answers 409 `not_retryable`.
 */
import type { Kysely } from 'kysely';
import type { Database, Message } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import type { JobQueue } from '../jobs/queue.js';
import { AppError } from '../server/errors.js';
import { enqueueDelivery } from './queues.js';

/** @throws AppError not_found | not_retryable */
export async function retryFailedMessage(db: Kysely<Database>, queue: JobQueue, orgId: string, messageId: string, now = new Date()): Promise<Message> {
  return withTenant(db, orgId, async (trx) => {
    const message = await trx.selectFrom('messages').selectAll().where('org_id', '=', orgId).where('id', '=', messageId).forUpdate().executeTakeFirst();
    if (!message || message.direction !== 'outbound') throw new AppError('not_found', 'No such outbound message in this organisation.');
    if (message.status !== 'failed') throw new AppError('not_retryable', `Only failed messages can be retried; this one is ${message.status}.`);
    if (message.failure_reason?.startsWith('window_expired')) {
      throw new AppError('not_retryable', 'The WhatsApp window was closed for this message: send an approved template instead, or wait for the customer to reply.');
    }
    const retried = await trx.updateTable('messages')
      .set({ status: 'pending', failure_reason: null, provider_error_code: null, provider: null, provider_message_id: null, status_updated_at: now })
      .where('org_id', '=', orgId).where('id', '=', message.id).returningAll().executeTakeFirstOrThrow();
    await enqueueDelivery(trx, queue, orgId, message.id);
    return retried;
  });
}
