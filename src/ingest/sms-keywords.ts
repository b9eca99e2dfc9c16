/**
 * Opt-out and opt-in keywords on inbound SMS (provider-protocols.md §5;
 * spec: issue 3 item 8): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT set
 * the SMS opt-out of the sender's number; START, UNSTOP, YES clear it.
 * Twilio also blocks the number on its side; we record it so no send is
 * attempted and staff see why.
 */
import type { TenantTx } from '../db/tenant.js';
import { smsKeyword } from '../domain/sms-keywords.js';
import { setSmsOptOut } from '../consent/consent.repository.js';

/** @returns the change made, if the message was a keyword */
export async function applySmsKeyword(trx: TenantTx, orgId: string, phone: string, customerId: string | null, body: string, optOutType: string | null): Promise<'opted_out' | 'opted_in' | null> {
  const keyword = smsKeyword(body, optOutType);
  if (keyword !== 'opt_out' && keyword !== 'opt_in') return null;
  const optedOut = keyword === 'opt_out';
  await setSmsOptOut(trx, orgId, phone, optedOut, customerId, { source: 'sms_keyword' });
  return optedOut ? 'opted_out' : 'opted_in';
}
