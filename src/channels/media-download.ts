/**
 * Downloading one media file from a provider (Twilio MMS media, WhatsApp
 * media) with a hard timeout and a size cap, classified for the download job:
 * the bytes; `MediaGone` when the provider no longer has it (404, 410); a
 * `ProviderError` otherwise (`retryable`: network, timeout, 5xx, 429;
 * `bad_credentials`: 401/403; `permanent`: anything else).
 *
 * Redirects are followed (Twilio answers its media URL with a redirect to a
 * signed CDN URL); fetch drops the Authorization header on a redirect to
 * another origin, so credentials never reach the CDN.
 */
import { ProviderError } from './contract.js';

/** Largest media file kept, in bytes (WhatsApp documents go up to 100 MB). */
export const MEDIA_DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024;

/** The provider answered 404 or 410: the media is gone (expired or deleted). */
export class MediaGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaGone';
  }
}

export type Downloaded = { bytes: Buffer; contentType: string };

/** Classify a non-2xx answer of a media request. */
export function mediaHttpError(label: string, status: number, retryAfter: string | null): Error {
  if (status === 404 || status === 410) return new MediaGone(`${label}: media no longer available (HTTP ${status})`);
  if (status === 401 || status === 403) return new ProviderError('bad_credentials', `${label}: media request refused (HTTP ${status}): check the stored credentials`);
  if (status === 429 || status >= 500) return new ProviderError('retryable', `${label}: HTTP ${status}`, null, retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : null);
  return new ProviderError('permanent', `${label}: HTTP ${status}`);
}

async function readCapped(res: Response, label: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MEDIA_DOWNLOAD_MAX_BYTES) throw new ProviderError('permanent', `${label}: media of ${declared} bytes is over the ${MEDIA_DOWNLOAD_MAX_BYTES}-byte limit`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += chunk.length;
    if (total > MEDIA_DOWNLOAD_MAX_BYTES) throw new ProviderError('permanent', `${label}: media over the ${MEDIA_DOWNLOAD_MAX_BYTES}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * GET `url` with `headers`, following redirects, and read the body.
 * @returns the raw response for 2xx (body unread) or throws the classified error
 */
export async function providerGet(label: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new ProviderError('retryable', timedOut ? `${label}: no response within ${timeoutMs} ms` : `${label}: network error`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw mediaHttpError(label, res.status, res.headers.get('retry-after'));
  }
  return res;
}

/**
 * Download the bytes at `url`.
 * @throws MediaGone | ProviderError (see the module comment)
 */
export async function downloadMedia(label: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<Downloaded> {
  const res = await providerGet(label, url, headers, timeoutMs);
  try {
    const bytes = await readCapped(res, label);
    return { bytes, contentType: (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim() };
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw new ProviderError('retryable', `${label}: connection lost while downloading media`);
  }
}
