/**
 * One provider HTTP call with a hard timeout, shared by the HTTP adapters
 * (Twilio, WhatsApp Cloud API). It never classifies provider answers (each
 * vendor folder does that); it only turns transport failures into
 * `ProviderError('retryable')`.
 */
import { ProviderError } from './contract.js';

/** A provider's HTTP answer, body read in full. `json` is undefined when the body is not JSON. */
export type HttpReply = {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
};

export type HttpCall = {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Whole-call budget in milliseconds: connect, request and reading the response body. */
  timeoutMs: number;
};

/**
 * Perform one HTTP call with global `fetch` and `AbortSignal.timeout`.
 * Redirects are not followed (providers' send APIs never redirect; a 3xx is
 * returned as a reply for the caller to classify).
 * @param providerLabel name used in error messages (`Twilio`, `WhatsApp`)
 * @returns the reply for any HTTP status
 * @throws ProviderError `retryable` on connection failure, reset, DNS failure or timeout
 */
export async function callProvider(providerLabel: string, call: HttpCall): Promise<HttpReply> {
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: parseJson(text) };
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      throw new ProviderError('retryable', `${providerLabel}: no response within ${call.timeoutMs} ms`);
    }
    throw new ProviderError('retryable', `${providerLabel}: network error: ${describeNetworkError(err)}`);
  }
}

/**
 * Milliseconds to wait from an HTTP `Retry-After` header (RFC 9110 §10.2.3:
 * delay-seconds or an HTTP-date).
 * @param nowMs the current time in epoch milliseconds (for HTTP-date values)
 * @returns null when the header is absent or unparseable; never negative
 */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** fetch wraps socket errors as `TypeError('fetch failed', { cause })`; report the cause. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
  }
  return err.message;
}

/** True for an object (not null, not an array): narrowing helper for provider JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
