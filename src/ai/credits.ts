/**
 * The per-organisation AI credit ledger (migration 0013): grants (a monthly
 * allowance, top-ups) and debits (one per AI reply), each idempotent on its
 * `entry_key`. The balance is the sum; at zero or below the organisation is
 * put into credit-exhaustion degradation (`organisations.ai_credit_exhausted`,
 * the existing send rule), and a grant that brings it back above zero takes
 * it out again.
 *
 * The allowance: `AI_MONTHLY_CREDITS` credited once per calendar month
 * (UTC), on the first ledger read of the month; unused credits carry over.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../db/tenant.js';

export type CreditSettings = { monthlyCredits: number };

function monthKey(now: Date): string {
  return `allowance:${now.toISOString().slice(0, 7)}`;
}

/** Credit this month's allowance unless already credited. */
export async function ensureMonthlyAllowance(trx: TenantTx, orgId: string, settings: CreditSettings, now: Date): Promise<void> {
  if (settings.monthlyCredits <= 0) return;
  await trx.insertInto('ai_credit_ledger').values({ org_id: orgId, kind: 'allowance', entry_key: monthKey(now), credits: settings.monthlyCredits, created_at: now })
    .onConflict((oc) => oc.columns(['org_id', 'entry_key']).doNothing()).execute();
}

/** The balance, as a number of credits (4 decimal places). */
export async function creditBalance(trx: TenantTx, orgId: string): Promise<number> {
  const r = await sql<{ balance: string }>`SELECT coalesce(sum(credits), 0)::text AS balance FROM ai_credit_ledger WHERE org_id = ${orgId}`.execute(trx);
  return Number(r.rows[0]!.balance);
}

/**
 * Set the degradation flag from the balance (after the allowance of `now`'s month).
 * @returns the balance and whether credit is now exhausted
 */
export async function settleCreditState(trx: TenantTx, orgId: string, settings: CreditSettings, now: Date): Promise<{ balance: number; exhausted: boolean }> {
  await ensureMonthlyAllowance(trx, orgId, settings, now);
  const balance = await creditBalance(trx, orgId);
  const exhausted = balance <= 0;
  await trx.updateTable('organisations').set({ ai_credit_exhausted: exhausted })
    .where('id', '=', orgId).where('ai_credit_exhausted', '<>', exhausted).execute();
  return { balance, exhausted };
}

/**
 * Debit one reply, keyed by the inbound message it answered.
 * @returns false when that message was already debited (nothing written)
 */
export async function debitReply(trx: TenantTx, orgId: string, inboundMessageId: string, credits: number, now: Date): Promise<boolean> {
  const row = await trx.insertInto('ai_credit_ledger').values({ org_id: orgId, kind: 'reply', entry_key: `reply:${inboundMessageId}`, credits: -Math.abs(credits), created_at: now })
    .onConflict((oc) => oc.columns(['org_id', 'entry_key']).doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * Add purchased credits, idempotent on `requestId`.
 * @returns false when that request was already applied
 */
export async function topUp(trx: TenantTx, orgId: string, requestId: string, credits: number, now: Date): Promise<boolean> {
  const row = await trx.insertInto('ai_credit_ledger').values({ org_id: orgId, kind: 'top_up', entry_key: `top_up:${requestId}`, credits, created_at: now })
    .onConflict((oc) => oc.columns(['org_id', 'entry_key']).doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}
