/**
 * WhatsApp number verification by one-time code (whatsapp-consent.txt; rules
 * in src/domain/whatsapp-verification.ts): start (send a code), resend,
 * check (staff type what the customer reads out, or the customer types it
 * in the portal). A correct code grants WhatsApp consent with source
 * `otp_verification` and an audit entry.
 *
 * The limits hold in the database, whatever runs concurrently:
 * - starting and resending lock the customer's row, so two requests count
 *   the codes sent this hour one after the other; one pending verification
 *   per customer is a unique index; `sends ≤ 3` and `attempts ≤ 5` are CHECKs;
 * - a check is one conditional `UPDATE … SET attempts = attempts + 1 …
 *   WHERE status = 'pending' AND attempts < 5 AND expires_at > now`: row
 *   locking makes concurrent checks take turns and re-test the condition, so
 *   no more than 5 can ever be counted, and the result (verified, locked,
 *   still pending) is decided in the same statement.
 *
 * The code itself is never stored (only its hash) and never written to the
 * conversation: it goes straight to the provider, outside any transaction,
 * after the verification row is committed.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import { adapterFor } from '../channels/registry.js';
import { openCredentials, secretBoxFor } from '../channels/credentials/secret-box.js';
import { ProviderError, type OutboundRequest } from '../channels/contract.js';
import { consentGate } from '../domain/consent.js';
import { renderTemplate } from '../domain/templates.js';
import {
  checkProblem, hashVerificationCode, hourlyProblem, isAuthenticationTemplate, newVerificationCode, normaliseCode, resendProblem,
  verificationChannel, verificationSms, verificationView, VERIFICATION_RULES, type VerificationState,
} from '../domain/whatsapp-verification.js';
import { AppError } from '../server/errors.js';
import { recordAudit } from '../auth/audit.js';
import type { Principal } from '../auth/principal.js';
import { loadOrgChannels, type OrgChannels } from '../sending/org-channels.js';
import { isSmsOptedOut, loadConsents, setConsent, type ConsentActor } from './consent.repository.js';

export type VerificationDeps = { db: Kysely<Database>; config: Config };
export type VerificationView = ReturnType<typeof verificationView>;

type Row = Awaited<ReturnType<typeof latestRow>>;
type Template = { name: string; language: string; body: string; placeholders: string[] };

/** Everything a send needs, read in the transaction that records it. */
type Outgoing = { verificationId: string; code: string; phone: string; channel: 'whatsapp' | 'sms'; orgName: string; template: Template | null; channels: OrgChannels; smsFallback: boolean };

async function latestRow(trx: TenantTx, orgId: string, customerId: string) {
  return trx.selectFrom('whatsapp_verifications').selectAll().where('org_id', '=', orgId).where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

const state = (r: NonNullable<Row>): VerificationState & { id: string; channel: 'whatsapp' | 'sms'; verifiedAt: Date | null } => ({
  id: r.id, channel: r.channel, status: r.status, attempts: r.attempts, sends: r.sends, expiresAt: r.expires_at, lastSentAt: r.last_sent_at, verifiedAt: r.verified_at,
});

/** The customer's latest verification as staff and the portal see it, or null when there never was one. */
export async function currentVerification(trx: TenantTx, orgId: string, customerId: string, now = new Date()): Promise<VerificationView | null> {
  const row = await latestRow(trx, orgId, customerId);
  return row ? verificationView(state(row), now) : null;
}

/** Lock the customer (serialising starts and resends) and gather what choosing a channel needs. */
async function prepare(trx: TenantTx, orgId: string, customerId: string, now: Date) {
  const customer = await trx.selectFrom('customers').select(['id', 'phone']).where('org_id', '=', orgId).where('id', '=', customerId).forUpdate().executeTakeFirst();
  if (!customer) throw new AppError('not_found', 'No such customer in this organisation.');
  if (!customer.phone) throw new AppError('verification_unavailable', 'The customer has no phone number to verify.');
  const org = await trx.selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow();
  const channels = await loadOrgChannels(trx, orgId);
  const consents = await loadConsents(trx, orgId, customerId);
  const smsOptedOut = await isSmsOptedOut(trx, orgId, customer.phone);
  const templates = await trx.selectFrom('message_templates').select(['name', 'language', 'body', 'placeholders', 'category', 'status'])
    .where('org_id', '=', orgId).where('category', '=', 'AUTHENTICATION').where('status', '=', 'approved').orderBy('created_at').execute();
  const template = templates.find(isAuthenticationTemplate) ?? null;
  // A code the customer asked for is a service message: only the gate's channel rules apply (active work order or not).
  const allowed = (channel: 'whatsapp' | 'sms') => consentGate({ channel, category: 'transactional', consents, hasActiveWorkOrder: true, smsOptedOut }).allowed;
  const choice = verificationChannel({
    whatsappConsent: allowed('whatsapp'), whatsappConfigured: Boolean(channels.credentials.whatsapp), authenticationTemplate: Boolean(template),
    smsConfigured: Boolean(channels.credentials.twilio), smsOptedOut: !allowed('sms'),
  });
  if (choice.channel === null) throw new AppError(choice.code, choice.reason);
  const sent = await trx.selectFrom('whatsapp_verifications').select(sql<string>`coalesce(sum(sends), 0)`.as('sent'))
    .where('org_id', '=', orgId).where('customer_id', '=', customerId).where('last_sent_at', '>', new Date(now.getTime() - 3_600_000)).executeTakeFirstOrThrow();
  return {
    phone: customer.phone, orgName: org.name, channels, template, channel: choice.channel, sentLastHour: Number(sent.sent),
    smsFallback: choice.channel === 'whatsapp' && Boolean(channels.credentials.twilio) && allowed('sms'),
  };
}

/**
 * Send a new code to the customer's phone, replacing any pending verification.
 * @param principal the staff user or token asking (staff audit log `customer.whatsapp_verification_sent`)
 * @throws AppError 404 not_found; 422 verification_unavailable (no phone, or no channel can carry the code);
 *   429 verification_send_limit (5 codes an hour); 502 provider_rejected
 */
export async function startVerification(deps: VerificationDeps, orgId: string, customerId: string, principal: Principal, now = new Date()): Promise<VerificationView> {
  const outgoing = await withTenant(deps.db, orgId, async (trx): Promise<Outgoing> => {
    const p = await prepare(trx, orgId, customerId, now);
    const hourly = hourlyProblem(p.sentLastHour);
    if (hourly) throw new AppError(hourly.code, hourly.reason);
    await trx.updateTable('whatsapp_verifications').set({ status: 'cancelled' })
      .where('org_id', '=', orgId).where('customer_id', '=', customerId).where('status', '=', 'pending').execute();
    const id = randomUUID();
    const code = newVerificationCode();
    await trx.insertInto('whatsapp_verifications').values({
      id, org_id: orgId, customer_id: customerId, phone: p.phone, channel: p.channel, code_hash: hashVerificationCode(id, code),
      expires_at: new Date(now.getTime() + VERIFICATION_RULES.ttlMinutes * 60_000), last_sent_at: now, created_at: now,
    }).execute();
    await recordAudit(trx, principal, { action: 'customer.whatsapp_verification_sent', targetType: 'customer', targetId: customerId, after: { channel: p.channel } });
    return { verificationId: id, code, phone: p.phone, channel: p.channel, orgName: p.orgName, template: p.template, channels: p.channels, smsFallback: p.smsFallback };
  });
  await deliver(deps, orgId, outgoing);
  return withTenant(deps.db, orgId, async (trx) => (await currentVerification(trx, orgId, customerId, now))!);
}

/**
 * Send the pending verification's code again, as a new code (the old one
 * stops working; attempts are not reset).
 * @throws AppError 404 verification_not_found; 409 verification_not_pending; 429 verification_send_limit; 502 provider_rejected
 */
export async function resendVerification(deps: VerificationDeps, orgId: string, customerId: string, now = new Date()): Promise<VerificationView> {
  const outgoing = await withTenant(deps.db, orgId, async (trx): Promise<Outgoing> => {
    const p = await prepare(trx, orgId, customerId, now);
    const row = await latestRow(trx, orgId, customerId);
    if (!row) throw new AppError('verification_not_found', 'No code has been sent to this customer yet.');
    const problem = resendProblem(state(row), p.sentLastHour, now);
    if (problem) throw new AppError(problem.code, problem.reason);
    const code = newVerificationCode();
    const updated = await trx.updateTable('whatsapp_verifications')
      .set((eb) => ({ sends: eb('sends', '+', 1), code_hash: hashVerificationCode(row.id, code), channel: p.channel, last_sent_at: now, expires_at: new Date(now.getTime() + VERIFICATION_RULES.ttlMinutes * 60_000) }))
      .where('org_id', '=', orgId).where('id', '=', row.id).where('status', '=', 'pending').where('sends', '<', VERIFICATION_RULES.maxSendsPerVerification)
      .returning('id').executeTakeFirst();
    if (!updated) throw new AppError('verification_send_limit', `A code can be sent at most ${VERIFICATION_RULES.maxSendsPerVerification} times: start a new verification.`);
    return { verificationId: row.id, code, phone: p.phone, channel: p.channel, orgName: p.orgName, template: p.template, channels: p.channels, smsFallback: p.smsFallback };
  });
  await deliver(deps, orgId, outgoing);
  return withTenant(deps.db, orgId, async (trx) => (await currentVerification(trx, orgId, customerId, now))!);
}

function request(o: Outgoing, channel: 'whatsapp' | 'sms'): OutboundRequest {
  if (channel === 'sms' || !o.template) return { messageId: o.verificationId, to: o.phone, body: verificationSms(o.orgName, o.code) };
  const rendered = renderTemplate(o.template.body, { [o.template.placeholders[0]!]: o.code });
  return {
    messageId: o.verificationId, to: o.phone, body: rendered.ok ? rendered.text : '',
    template: { name: o.template.name, language: o.template.language, params: [], copyCode: o.code },
  };
}

/**
 * Hand the code to the provider. When Meta refuses the authentication
 * template (a permanent error: the account may not send them yet) and SMS is
 * possible, the same code goes by SMS and the verification says so; when
 * nothing could be sent the verification is cancelled.
 */
async function deliver(deps: VerificationDeps, orgId: string, o: Outgoing): Promise<void> {
  const credentials = openCredentials(o.channels.credentials, secretBoxFor(deps.config));
  const send = (channel: 'whatsapp' | 'sms') => adapterFor(channel, credentials, deps.config).send(request(o, channel));
  try {
    await send(o.channel);
    return;
  } catch (err) {
    const refused = err instanceof ProviderError && err.kind === 'permanent';
    if (o.channel === 'whatsapp' && refused && o.smsFallback) {
      try {
        await send('sms');
        await withTenant(deps.db, orgId, (trx) => trx.updateTable('whatsapp_verifications').set({ channel: 'sms' }).where('org_id', '=', orgId).where('id', '=', o.verificationId).execute());
        return;
      } catch (smsErr) {
        err = smsErr;
      }
    }
    await withTenant(deps.db, orgId, (trx) => trx.updateTable('whatsapp_verifications').set({ status: 'cancelled' })
      .where('org_id', '=', orgId).where('id', '=', o.verificationId).where('status', '=', 'pending').execute());
    const code = err instanceof ProviderError && err.providerCode ? ` (error ${err.providerCode})` : '';
    throw new AppError('provider_rejected', `The code could not be sent${code}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export type CheckResult = { verified: true; view: VerificationView } | { verified: false; view: VerificationView };

/**
 * Check a code against the customer's pending verification, counting the
 * attempt in the database (see the module comment). A correct code grants
 * WhatsApp consent with source `otp_verification`, recorded even when
 * WhatsApp was already on.
 * @param actor who typed it: the staff user (`performedById`) or the customer in the portal (IP, user agent)
 * @throws AppError 400 validation_failed (not 6 digits; not counted); 404 verification_not_found; 409 verification_not_pending;
 *   410 verification_expired; 422 code_incorrect (with `attemptsLeft`); 429 verification_locked
 */
export async function checkVerification(db: Kysely<Database>, orgId: string, customerId: string, typed: string, actor: Omit<ConsentActor, 'source'>, now = new Date()): Promise<VerificationView> {
  const code = normaliseCode(typed);
  if (!code) throw new AppError('validation_failed', `A code is ${VERIFICATION_RULES.codeLength} digits.`);
  // Decided inside, thrown outside: a wrong code's counted attempt must commit.
  const outcome = await withTenant(db, orgId, async (trx) => {
    const row = await latestRow(trx, orgId, customerId);
    if (!row) return { error: new AppError('verification_not_found', 'No code has been sent to this customer.') };
    const before = checkProblem(state(row), now);
    if (before) return { error: new AppError(before.code, before.reason) };
    const hash = hashVerificationCode(row.id, code);
    const updated = await trx.updateTable('whatsapp_verifications')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: sql<'pending' | 'verified' | 'locked'>`CASE WHEN code_hash = ${hash} THEN 'verified' WHEN attempts + 1 >= ${VERIFICATION_RULES.maxAttempts} THEN 'locked' ELSE 'pending' END`,
        verified_at: sql<Date | null>`CASE WHEN code_hash = ${hash} THEN ${now.toISOString()}::timestamptz ELSE NULL END`,
      }))
      .where('org_id', '=', orgId).where('id', '=', row.id).where('status', '=', 'pending')
      .where('attempts', '<', VERIFICATION_RULES.maxAttempts).where('expires_at', '>', now)
      .returningAll().executeTakeFirst();
    if (!updated) {
      // Another check got there first (verified, locked, or used the last attempt).
      const again = (await latestRow(trx, orgId, customerId))!;
      const problem = checkProblem(state(again), now) ?? { code: 'verification_locked' as const, reason: 'Too many wrong codes: send a new code.' };
      return { error: new AppError(problem.code, problem.reason) };
    }
    const view = verificationView(state(updated), now);
    if (updated.status === 'verified') {
      await setConsent(trx, orgId, customerId, 'whatsapp', true, { ...actor, source: 'otp_verification' }, { recordUnchanged: true });
      return { view };
    }
    if (updated.status === 'locked') return { error: new AppError('verification_locked', `Too many wrong codes (${VERIFICATION_RULES.maxAttempts}): send a new code.`, { attemptsLeft: 0 }) };
    return { error: new AppError('code_incorrect', `That code is not right: ${view.attemptsLeft} ${view.attemptsLeft === 1 ? 'try' : 'tries'} left.`, { attemptsLeft: view.attemptsLeft }) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.view;
}
