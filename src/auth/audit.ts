/**
 * The staff audit log: approvals, rejections, role and capability changes,
 * assignment changes and other sensitive actions, with actor, time,
 * before/after and reason. Append-only: the application role may only
 * INSERT and SELECT, and a trigger refuses UPDATE and DELETE for everyone.
 */
import type { TenantTx } from '../db/tenant.js';
import type { Principal } from './principal.js';

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

export async function recordAudit(trx: TenantTx, principal: Principal, entry: AuditEntry): Promise<void> {
  await trx.insertInto('staff_audit_log').values({
    org_id: principal.orgId,
    actor_user_id: principal.userId,
    actor_token_id: principal.tokenId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    reason: entry.reason ?? null,
  }).execute();
}
