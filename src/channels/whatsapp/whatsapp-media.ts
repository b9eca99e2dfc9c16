/**
 * Fetching inbound WhatsApp media (provider-protocols.md §11b, Cloud API
 * media reference): `GET {graph}/{version}/{media-id}` with the access token
 * returns `{url, mime_type, sha256, file_size, id}`; `GET {url}` with the same
 * Bearer header returns the bytes. The URL lives minutes, so both calls run
 * back to back in one attempt. Meta keeps inbound media only days: a 404 (or
 * Graph error 100 "does not exist") is `MediaGone`.
 */
import { ProviderError } from '../contract.js';
import { isRecord } from '../http-call.js';
import { downloadMedia, MediaGone, providerGet, type Downloaded } from '../media-download.js';

export type WhatsAppMediaRequest = {
  mediaId: string;
  accessToken: string;
  apiBaseUrl: string;
  apiVersion: string;
  timeoutMs: number;
};

/**
 * @throws MediaGone | ProviderError
 */
export async function fetchWhatsAppMedia(r: WhatsAppMediaRequest): Promise<Downloaded> {
  const headers = { authorization: `Bearer ${r.accessToken}` };
  const metaUrl = `${r.apiBaseUrl.replace(/\/+$/, '')}/${r.apiVersion}/${encodeURIComponent(r.mediaId)}`;
  let info: unknown;
  try {
    info = await (await providerGet('WhatsApp', metaUrl, { ...headers, accept: 'application/json' }, r.timeoutMs)).json();
  } catch (err) {
    // Graph answers an unknown or expired media id with 400 + error code 100 as well as 404.
    if (err instanceof ProviderError && err.kind === 'permanent' && /HTTP 400/.test(err.message)) throw new MediaGone('WhatsApp: media id unknown or expired');
    if (err instanceof SyntaxError) throw new ProviderError('retryable', 'WhatsApp: media lookup answered non-JSON');
    throw err;
  }
  if (!isRecord(info) || typeof info.url !== 'string') throw new ProviderError('retryable', 'WhatsApp: media lookup without a url');
  const downloaded = await downloadMedia('WhatsApp', info.url, headers, r.timeoutMs);
  const declared = typeof info.mime_type === 'string' ? info.mime_type : null;
  return declared && downloaded.contentType === 'application/octet-stream' ? { ...downloaded, contentType: declared } : downloaded;
}
