/**
 * A small fetch wrapper for the /v1 API with the session cookie (same
 * origin). Writes send JSON (the server refuses cookie writes that do not).
 * Errors become `ApiError` with the API's stable code; a 401 sends the
 * browser to sign in and come back.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' }, signal: signal ?? null };
  if (body !== undefined || method !== 'GET') {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : null;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401) {
      const here = window.location.pathname + window.location.search;
      window.location.assign(`/login?next=${encodeURIComponent(here)}`);
    }
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `Request failed (${res.status}).`, (err as { details?: Record<string, unknown> } | undefined)?.details);
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const get = <T,>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);
export const post = <T,>(path: string, body?: unknown) => request<T>('POST', path, body);
export const put = <T,>(path: string, body?: unknown) => request<T>('PUT', path, body);
export const patch = <T,>(path: string, body?: unknown) => request<T>('PATCH', path, body);
export const del = <T,>(path: string) => request<T>('DELETE', path);

/** `?a=1&b=2` from the defined values of `params` (empty string when none). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
