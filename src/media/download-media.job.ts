/**
 * The download job for one inbound media item (queue `download-media`):
 * fetch it from the provider with the garage's credentials (the adapters in
 * `src/channels/`), clean it (images: metadata stripped, downscaled,
 * thumbnail — `image.ts`; other files stored as received), put it in the
 * media store, and mark it `stored`. A provider 404/410 marks it
 * `unavailable` ("Photo unavailable"); transient failures throw so pg-boss
 * retries; the last attempt, or refused credentials on it, marks it
 * unavailable with the reason. With `OUTBOUND_PROVIDERS=sandbox` (the demo)
 * no provider is called: the sandbox resolves the reference to a built-in
 * sample photo (`src/channels/sandbox/sandbox-media.ts`), which is cleaned
 * and stored like a downloaded one; non-image media is unavailable.
 *
 * Exactly once: nothing is fetched for an item that is no longer pending,
 * and only a pending item is settled (`settle-media.ts`), so a job retried
 * after a crash or run twice stores one copy and emits one event.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { ProviderError } from '../channels/contract.js';
import { MediaGone, type Downloaded } from '../channels/media-download.js';
import { accountSidOfMediaUrl, fetchTwilioMedia } from '../channels/twilio/twilio-media.js';
import { fetchWhatsAppMedia } from '../channels/whatsapp/whatsapp-media.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { prepareImage } from './image.js';
import { originalKey, thumbnailKey } from './object-keys.js';
import type { DownloadMediaJob } from './queues.js';
import { settleMedia, type Settled } from './settle-media.js';
import type { MediaStore } from './store.js';
import { secretBoxFor } from '../channels/credentials/secret-box.js';
import { sandboxMedia } from '../channels/sandbox/sandbox-media.js';

export type MediaDeps = { db: Kysely<Database>; config: Config; store: MediaStore };

type Pending = { source: string; provider_ref: string | null; content_type: string; accessToken: string | null; accountSid: string | null; authToken: string | null };

async function loadPending(deps: MediaDeps, job: DownloadMediaJob): Promise<Pending | null> {
  return withTenant(deps.db, job.orgId, async (trx) => {
    const row = await trx.selectFrom('media_objects').select(['source', 'provider_ref', 'state', 'content_type'])
      .where('org_id', '=', job.orgId).where('id', '=', job.mediaId).executeTakeFirst();
    if (!row || row.state !== 'pending') return null;
    let identity = trx.selectFrom('channel_identities').select(['access_token', 'account_sid', 'auth_token']).where('org_id', '=', job.orgId);
    if (row.source === 'whatsapp') {
      identity = identity.where('provider', '=', 'whatsapp').where('access_token', 'is not', null);
      if (job.phoneNumberId) identity = identity.where('address', '=', job.phoneNumberId);
    } else {
      const sid = row.provider_ref ? accountSidOfMediaUrl(row.provider_ref) : null;
      identity = identity.where('provider', '=', 'twilio').where('auth_token', 'is not', null);
      if (sid) identity = identity.where((eb) => eb.or([eb('account_sid', '=', sid), eb('account_sid', 'is', null)])).orderBy('account_sid');
    }
    const creds = await identity.limit(1).executeTakeFirst();
    const box = secretBoxFor(deps.config);
    return {
      source: row.source, provider_ref: row.provider_ref, content_type: row.content_type, accountSid: creds?.account_sid ?? null,
      accessToken: creds?.access_token ? box.open(creds.access_token) : null, authToken: creds?.auth_token ? box.open(creds.auth_token) : null,
    };
  });
}

async function fetchFromProvider(deps: MediaDeps, p: Pending): Promise<Downloaded> {
  if (deps.config.OUTBOUND_PROVIDERS === 'sandbox') return sandboxMedia(p.provider_ref, p.content_type);
  const timeoutMs = Math.max(deps.config.PROVIDER_TIMEOUT_MS, 30_000);
  if (!p.provider_ref) throw new MediaGone('no provider reference');
  if (p.source === 'whatsapp') {
    if (!p.accessToken) throw new ProviderError('bad_credentials', 'WhatsApp: no access token stored for this number');
    return fetchWhatsAppMedia({ mediaId: p.provider_ref, accessToken: p.accessToken, apiBaseUrl: deps.config.WHATSAPP_API_BASE_URL, apiVersion: deps.config.WHATSAPP_API_VERSION, timeoutMs });
  }
  const accountSid = p.accountSid ?? accountSidOfMediaUrl(p.provider_ref);
  if (!accountSid || !p.authToken) throw new ProviderError('bad_credentials', 'Twilio: no account SID and auth token stored for this account');
  return fetchTwilioMedia({ url: p.provider_ref, accountSid, authToken: p.authToken, apiBaseUrl: deps.config.TWILIO_API_BASE_URL, timeoutMs });
}

/** Clean and store the bytes; images the way `image.ts` says, other files (and images sharp cannot read) as received. */
async function store(deps: MediaDeps, orgId: string, mediaId: string, file: Downloaded): Promise<Settled> {
  const key = originalKey(orgId, mediaId);
  if (file.contentType.startsWith('image/')) {
    const image = await prepareImage(file.bytes, 'provider').catch(() => null);
    if (image) {
      await deps.store.put(thumbnailKey(orgId, mediaId), image.thumbnail, 'image/jpeg');
      await deps.store.put(key, image.bytes, image.contentType);
      return { state: 'stored', storageKey: key, thumbnailKey: thumbnailKey(orgId, mediaId), contentType: image.contentType, size: image.bytes.length, width: image.width, height: image.height };
    }
  }
  await deps.store.put(key, file.bytes, file.contentType);
  return { state: 'stored', storageKey: key, thumbnailKey: null, contentType: file.contentType, size: file.bytes.length, width: null, height: null };
}

/**
 * Run one download job.
 * @param lastAttempt true on the queue's final retry: failures mark the item unavailable instead of throwing
 * @throws ProviderError for a transient failure (pg-boss retries)
 */
export async function downloadInboundMedia(deps: MediaDeps, job: DownloadMediaJob, lastAttempt: boolean): Promise<void> {
  const pending = await loadPending(deps, job);
  if (!pending) return;
  let outcome: Settled;
  try {
    outcome = await store(deps, job.orgId, job.mediaId, await fetchFromProvider(deps, pending));
  } catch (err) {
    if (err instanceof MediaGone) outcome = { state: 'unavailable', reason: err.message };
    else if (err instanceof ProviderError && (err.kind === 'permanent' || lastAttempt)) outcome = { state: 'unavailable', reason: err.message };
    else throw err;
  }
  await withTenant(deps.db, job.orgId, (trx) => settleMedia(trx, job.orgId, job.mediaId, outcome));
}
