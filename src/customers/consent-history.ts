/**
 * A customer's consent history: every audit entry, oldest first, and the
 * state at an instant replayed from them (src/domain/consent-history.ts).
 * IP addresses and user agents are personal data: only principals who may
 * see contact details receive them.
 */
import type { TenantTx } from '../db/tenant.js';
import { consentStateAt, type ConsentLogEntry } from '../domain/consent-history.js';
import { consentSourceLabel } from '../domain/consent-source.js';

export async function loadConsentLog(trx: TenantTx, orgId: string, customerId: string) {
  return trx.selectFrom('consent_audit_log as a')
    .leftJoin('staff_users as s', (j) => j.onRef('s.org_id', '=', 'a.org_id').onRef('s.id', '=', 'a.performed_by_id'))
    .select(['a.id', 'a.seq', 'a.category', 'a.action', 'a.previous_value', 'a.source', 'a.ip_address', 'a.user_agent', 'a.created_at', 's.name as performed_by'])
    .where('a.org_id', '=', orgId).where('a.customer_id', '=', customerId)
    .orderBy('a.created_at').orderBy('a.seq').execute();
}

export async function consentHistory(trx: TenantTx, orgId: string, customerId: string, contact: boolean, at: Date | null) {
  const log = await loadConsentLog(trx, orgId, customerId);
  const entries = log.map((e) => ({
    id: String(e.id), category: e.category, action: e.action, previousValue: e.previous_value, source: e.source, sourceLabel: consentSourceLabel(e.source),
    performedBy: e.performed_by, ipAddress: contact ? e.ip_address : null, userAgent: contact ? e.user_agent : null, at: e.created_at.toISOString(),
  }));
  const replay: ConsentLogEntry[] = log.map((e) => ({ category: e.category, action: e.action, source: e.source, createdAt: e.created_at, seq: e.seq }));
  const stateAt = at ? Object.entries(consentStateAt(replay, at)).map(([category, s]) => ({
    category, granted: s?.granted ?? null, source: s?.source ?? null, sourceLabel: s ? consentSourceLabel(s.source) : null, since: s?.since.toISOString() ?? null,
  })) : null;
  return { entries, stateAt };
}
