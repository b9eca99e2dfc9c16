/**
 * POST JSON to the Graph API with a Bearer token and classify failures
 * (shared by the WhatsApp send adapter and template submission).
 */
import { callProvider } from '../http-call.js';
import { graphError } from './graph-errors.js';

export type GraphPost = {
  /** Full URL, e.g. `https://graph.facebook.com/v21.0/{phone-number-id}/messages`. */
  url: string;
  accessToken: string;
  body: unknown;
  /** Budget of the call in milliseconds. */
  timeoutMs: number;
};

/**
 * Send one Graph API POST.
 * @returns the parsed JSON body of a 2xx reply (undefined when it is not JSON)
 * @throws ProviderError classified by `graphError` for non-2xx replies; `retryable` for network errors and timeouts
 */
export async function graphPost(post: GraphPost): Promise<unknown> {
  const reply = await callProvider('WhatsApp', {
    method: 'POST',
    url: post.url,
    headers: {
      authorization: `Bearer ${post.accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify(post.body),
    timeoutMs: post.timeoutMs,
  });
  if (reply.status >= 200 && reply.status < 300) return reply.json;
  throw graphError(reply);
}

/**
 * Send one Graph API GET.
 * @returns the parsed JSON body of a 2xx reply
 * @throws ProviderError as for `graphPost`
 */
export async function graphGet(get: { url: string; accessToken: string; timeoutMs: number }): Promise<unknown> {
  const reply = await callProvider('WhatsApp', {
    method: 'GET',
    url: get.url,
    headers: { authorization: `Bearer ${get.accessToken}`, accept: 'application/json' },
    timeoutMs: get.timeoutMs,
  });
  if (reply.status >= 200 && reply.status < 300) return reply.json;
  throw graphError(reply);
}

/** `{baseUrl}/{apiVersion}/{node}/{edge}` with the base URL's trailing slashes trimmed. */
export function graphUrl(baseUrl: string, apiVersion: string, node: string, edge: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${apiVersion}/${encodeURIComponent(node)}/${edge}`;
}
