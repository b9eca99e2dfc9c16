/**
 * Connecting an organisation's providers from Settings > Channels (issue 13
 * item 0). Each connection is checked against the provider before anything
 * is stored: Twilio by listing the account's IncomingPhoneNumbers with the
 * Auth Token (and again with the API key when one is given), WhatsApp by
 * reading the phone number node and the business account's numbers. Only
 * then are the organisation's rows of that provider replaced, secrets sealed
 * (`secret-box.ts`), with one staff audit entry whose before/after are the
 * masked views. A failed check stores nothing.
 *
 * Secrets are write-only: a save that leaves a secret out keeps the stored
 * one, as long as the identifier it belongs to (Account SID, API key SID,
 * phone number id) is unchanged.
 *
 * Provider verdicts become AppErrors: refused credentials →
 * `provider_credentials_rejected` (422); provider unreachable →
 * `provider_unreachable` (502); other provider refusals →
 * `provider_check_failed` (422); a number not in the account →
 * `number_not_in_account` (422, with the account's numbers); a number or
 * service another garage already connected → `address_in_use` (409).
 */
import { verifyMailServer } from '../mail/mailer.js';
import { fetchTwilioMessagingService } from '../channels/twilio/twilio-messaging-service.js';
import type { Insertable, Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { ChannelIdentityTable, Database } from '../db/schema.js';
import { withTenant, type TenantTx } from '../db/tenant.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../auth/audit.js';
import { AppError } from '../server/errors.js';
import { ProviderError } from '../channels/contract.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { listTwilioNumbers, type TwilioNumber } from '../channels/twilio/twilio-numbers.js';
import { lookUpWhatsAppNumber } from '../channels/whatsapp/whatsapp-phone-number.js';
import { toE164 } from '../domain/phone.js';
import { loadChannelsView, type ChannelsView } from './channel-view.js';

export type ChannelDeps = {
  db: Kysely<Database>;
  config: Pick<Config, 'TWILIO_API_BASE_URL' | 'TWILIO_MESSAGING_API_BASE_URL' | 'WHATSAPP_API_BASE_URL' | 'WHATSAPP_API_VERSION' | 'PROVIDER_TIMEOUT_MS'
    | 'PUBLIC_BASE_URL' | 'WHATSAPP_VERIFY_TOKEN' | 'CREDENTIALS_ENCRYPTION_KEY' | 'CREDENTIALS_ENCRYPTION_KEY_PREVIOUS' | 'SMTP_URL'>;
};

export type TwilioInput = {
  accountSid: string;
  /** Omitted: keep the stored token (same Account SID only). */
  authToken?: string | undefined;
  /** null: send with the Auth Token. */
  apiKeySid: string | null;
  /** Omitted: keep the stored secret (same key only). */
  apiKeySecret?: string | undefined;
  phoneNumber: string | null;
  messagingServiceSid: string | null;
};

export type WhatsAppInput = { phoneNumberId: string; wabaId: string; accessToken?: string | undefined };

export type ChannelProvider = 'twilio' | 'whatsapp' | 'smtp';

/** The stored (sealed) secrets of the organisation's rows of one provider. */
async function storedRows(deps: ChannelDeps, orgId: string, provider: ChannelProvider) {
  return withTenant(deps.db, orgId, (trx) => trx.selectFrom('channel_identities').selectAll().where('org_id', '=', orgId).where('provider', '=', provider).execute());
}

/** Map a provider's verdict during a check to the API's vocabulary. */
function checkFailed(provider: 'Twilio' | 'WhatsApp', err: unknown): never {
  if (!(err instanceof ProviderError)) throw err;
  if (err.kind === 'bad_credentials') {
    throw new AppError('provider_credentials_rejected', `${provider} refused these credentials (${err.message}). Check them in the ${provider === 'Twilio' ? 'Twilio Console' : 'Meta App Dashboard'} and try again.`, { providerCode: err.providerCode });
  }
  if (err.kind === 'retryable') throw new AppError('provider_unreachable', `${provider} could not be reached to check the credentials (${err.message}). Nothing was saved; try again.`);
  if (err.providerCode === 'number_not_in_account') throw new AppError('number_not_in_account', `${err.message}.`);
  if (err.providerCode === 'service_not_in_account') throw new AppError('service_not_in_account', `${err.message}.`);
  throw new AppError('provider_check_failed', `${provider} did not accept the check (${err.message}). Nothing was saved.`, { providerCode: err.providerCode });
}

/** Replace the organisation's rows of `provider`; a unique address held by another garage → address_in_use. */
type NewRow = Omit<Insertable<ChannelIdentityTable>, 'org_id' | 'provider'>;

async function replaceRows(deps: ChannelDeps, principal: Principal, provider: ChannelProvider, rows: NewRow[], what: string): Promise<ChannelsView> {
  const box = secretBoxFor(deps.config);
  const orgId = principal.orgId;
  try {
    return await withTenant(deps.db, orgId, async (trx: TenantTx) => {
      const before = await loadChannelsView(trx, orgId, box, deps.config);
      await trx.deleteFrom('channel_identities').where('org_id', '=', orgId).where('provider', '=', provider).execute();
      if (rows.length) await trx.insertInto('channel_identities').values(rows.map((r) => ({ ...r, org_id: orgId, provider }))).execute();
      const after = await loadChannelsView(trx, orgId, box, deps.config);
      const key = provider === 'smtp' ? 'email' : provider;
      await recordAudit(trx, principal, { action: `settings.channels.${key}`, targetType: 'organisation', targetId: orgId, before: before[key], after: after[key] });
      return after;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('address_in_use', `${what} is already connected to another garage.`);
    throw err;
  }
}

/**
 * Check Twilio credentials without saving anything.
 * @returns the account's phone numbers, to pick the garage's sender from
 */
export async function checkTwilio(deps: ChannelDeps, orgId: string, input: Pick<TwilioInput, 'accountSid' | 'authToken'>): Promise<TwilioNumber[]> {
  const stored = (await storedRows(deps, orgId, 'twilio')).find((r) => r.account_sid === input.accountSid && r.auth_token);
  const authToken = input.authToken ?? (stored ? secretBoxFor(deps.config).open(stored.auth_token!) : null);
  if (!authToken) throw new AppError('validation_failed', 'authToken: enter the Auth Token of this account.');
  try {
    return await listTwilioNumbers(deps.config.TWILIO_API_BASE_URL, { accountSid: input.accountSid, authToken }, deps.config.PROVIDER_TIMEOUT_MS);
  } catch (err) {
    return checkFailed('Twilio', err);
  }
}

/**
 * Verify and store the organisation's Twilio connection (sender: the number, the Messaging Service, or both).
 * @returns the masked connections after the save
 * @throws AppError validation_failed (missing secret or sender), provider_credentials_rejected,
 *   provider_unreachable, provider_check_failed, number_not_in_account, address_in_use
 */
export async function connectTwilio(deps: ChannelDeps, principal: Principal, input: TwilioInput): Promise<ChannelsView> {
  const box = secretBoxFor(deps.config);
  if (!input.phoneNumber && !input.messagingServiceSid) throw new AppError('validation_failed', 'phoneNumber: choose the garage\'s Twilio number or enter a Messaging Service SID.');
  const stored = await storedRows(deps, principal.orgId, 'twilio');
  const sameAccount = stored.find((r) => r.account_sid === input.accountSid && r.auth_token);
  const authToken = input.authToken ?? (sameAccount ? box.open(sameAccount.auth_token!) : null);
  if (!authToken) throw new AppError('validation_failed', 'authToken: enter the Auth Token of this account.');
  const sameKey = input.apiKeySid ? stored.find((r) => r.api_key_sid === input.apiKeySid && r.api_key_secret) : undefined;
  const apiKeySecret = input.apiKeySid ? input.apiKeySecret ?? (sameKey ? box.open(sameKey.api_key_secret!) : null) : null;
  if (input.apiKeySid && !apiKeySecret) throw new AppError('validation_failed', 'apiKeySecret: enter the secret of this API key.');

  let numbers: TwilioNumber[];
  try {
    numbers = await listTwilioNumbers(deps.config.TWILIO_API_BASE_URL, { accountSid: input.accountSid, authToken }, deps.config.PROVIDER_TIMEOUT_MS);
    if (input.apiKeySid) await listTwilioNumbers(deps.config.TWILIO_API_BASE_URL, { accountSid: input.accountSid, authToken, apiKeySid: input.apiKeySid, apiKeySecret }, deps.config.PROVIDER_TIMEOUT_MS);
    if (input.messagingServiceSid) {
      const credentials = input.apiKeySid ? { accountSid: input.accountSid, authToken, apiKeySid: input.apiKeySid, apiKeySecret } : { accountSid: input.accountSid, authToken };
      await fetchTwilioMessagingService(deps.config.TWILIO_MESSAGING_API_BASE_URL, credentials, input.messagingServiceSid, deps.config.PROVIDER_TIMEOUT_MS);
    }
  } catch (err) {
    return checkFailed('Twilio', err);
  }
  if (input.phoneNumber && !numbers.some((n) => n.phoneNumber === input.phoneNumber)) {
    throw new AppError('number_not_in_account', `${input.phoneNumber} is not a number of Twilio account ${input.accountSid}.`, { numbers: numbers.map((n) => n.phoneNumber) });
  }
  const shared = {
    account_sid: input.accountSid, auth_token: box.seal(authToken),
    api_key_sid: input.apiKeySid, api_key_secret: apiKeySecret ? box.seal(apiKeySecret) : null, access_token: null, waba_id: null,
  };
  return replaceRows(deps, principal, 'twilio', [
    ...(input.phoneNumber ? [{ kind: 'phone_number' as const, address: input.phoneNumber, display_number: input.phoneNumber, ...shared }] : []),
    ...(input.messagingServiceSid ? [{ kind: 'messaging_service' as const, address: input.messagingServiceSid, display_number: null, ...shared }] : []),
  ], input.phoneNumber && input.messagingServiceSid ? `${input.phoneNumber} or ${input.messagingServiceSid}` : (input.phoneNumber ?? input.messagingServiceSid!));
}

/**
 * Verify and store the organisation's WhatsApp Cloud API number.
 * @throws AppError as `connectTwilio`
 */
export async function connectWhatsApp(deps: ChannelDeps, principal: Principal, input: WhatsAppInput): Promise<ChannelsView> {
  const box = secretBoxFor(deps.config);
  const stored = (await storedRows(deps, principal.orgId, 'whatsapp')).find((r) => r.address === input.phoneNumberId && r.access_token);
  const accessToken = input.accessToken ?? (stored ? box.open(stored.access_token!) : null);
  if (!accessToken) throw new AppError('validation_failed', 'accessToken: enter the access token.');
  let info;
  try {
    info = await lookUpWhatsAppNumber({
      baseUrl: deps.config.WHATSAPP_API_BASE_URL, apiVersion: deps.config.WHATSAPP_API_VERSION, timeoutMs: deps.config.PROVIDER_TIMEOUT_MS,
      phoneNumberId: input.phoneNumberId, wabaId: input.wabaId, accessToken,
    });
  } catch (err) {
    return checkFailed('WhatsApp', err);
  }
  const displayNumber = toE164(`+${info.displayPhoneNumber.replace(/\D/g, '')}`);
  return replaceRows(deps, principal, 'whatsapp', [{
    kind: 'whatsapp_phone_number', address: input.phoneNumberId, display_number: displayNumber, waba_id: input.wabaId,
    access_token: box.seal(accessToken), auth_token: null, account_sid: null, api_key_sid: null, api_key_secret: null,
  }], `WhatsApp phone number ${input.phoneNumberId}`);
}

/**
 * Store the garage's sender address for email (sent through the server's SMTP_URL), once the mail
 * server accepts a connection and login.
 * @throws AppError provider_unreachable when it does not (nothing stored)
 */
export async function setEmailSender(deps: ChannelDeps, principal: Principal, fromAddress: string): Promise<ChannelsView> {
  await verifyMailServer(deps.config);
  return replaceRows(deps, principal, 'smtp', [{ kind: 'email_address', address: fromAddress.trim().toLowerCase(), display_number: null, auth_token: null }], fromAddress);
}

/** Remove the organisation's connection to `provider` (sending on it stops; audited). */
export async function disconnectChannel(deps: ChannelDeps, principal: Principal, provider: ChannelProvider): Promise<ChannelsView> {
  return replaceRows(deps, principal, provider, [], provider);
}
