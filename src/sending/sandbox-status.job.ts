/**
 * Plays back a delivery status for a message the sandbox provider "sent",
 * through the same forward-only path as real provider callbacks.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { applyDeliveryStatus } from '../ingest/apply-delivery-status.js';

export type SandboxStatusJob = {
  orgId: string;
  providerMessageId: string;
  status: 'delivered' | 'read' | 'failed';
  errorCode: string | null;
  reason: string | null;
};

export async function playSandboxStatus(db: Kysely<Database>, job: SandboxStatusJob): Promise<void> {
  await withTenant(db, job.orgId, (trx) => applyDeliveryStatus(trx, job.orgId, {
    provider: 'sandbox',
    providerMessageId: job.providerMessageId,
    providerStatus: job.status,
    status: job.status,
    errorCode: job.errorCode,
    failureReason: job.status === 'failed' ? job.reason ?? 'Delivery failed' : null,
    providerErrorText: null,
    occurredAt: new Date(),
    cost: null,
    costCurrency: null,
    pricing: null,
  }));
}
