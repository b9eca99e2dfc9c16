/** The portal's JSON API (src/portal/portal-api.routes.ts), same-origin with the session cookie. */

export type Receipt = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
export type PortalMessage = {
  id: string; mine: boolean; senderName: string; channel: string; channelLabel: string; contentType: string; body: string;
  media: Array<{ contentType: string; state: 'stored' | 'pending' | 'unavailable'; url: string | null; thumbnailUrl: string | null }>;
  occurredAt: string; receipt: Receipt; readAt: string | null;
};
export type Me = { orgName: string; timeZone: string; customerName: string | null; unreadCount: number; hasPreferences: boolean };
export type Preference = { category: string; label: string; granted: boolean; locked: boolean; lockedReason: string | null };
export type PortalVerification = { channel: 'whatsapp' | 'sms'; status: 'pending' | 'verified' | 'locked' | 'cancelled' | 'expired'; attemptsLeft: number; expiresAt: string };
export type FileRefusal = { index: number; filename: string; code: string; message: string };

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly files: FileRefusal[] = []) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/portal/api${path}`, { credentials: 'same-origin', ...init });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401) window.location.reload();
    throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? `Request failed (${res.status})`, json?.error?.files ?? []);
  }
  return json as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const api = {
  me: () => call<Me>('/me'),
  messages: (before?: string | null) => call<{ messages: PortalMessage[]; earlierCursor: string | null }>(`/messages${before ? `?before=${encodeURIComponent(before)}` : ''}`),
  message: (id: string) => call<PortalMessage>(`/messages/${id}`),
  send(body: string, photos: File[], clientKey: string) {
    if (photos.length === 0) return call<PortalMessage>('/messages', json('POST', { body, clientKey }));
    const form = new FormData();
    form.set('body', body);
    form.set('clientKey', clientKey);
    for (const p of photos) form.append('photos', p, p.name);
    return call<PortalMessage>('/messages', { method: 'POST', body: form });
  },
  read: () => call<{ marked: number; unreadCount: number }>('/read', { method: 'POST' }),
  preferences: () => call<{ preferences: Preference[] }>('/preferences'),
  setPreference: (category: string, granted: boolean) => call<{ preferences: Preference[] }>(`/preferences/${category}`, json('PUT', { granted })),
  verification: () => call<{ verification: PortalVerification | null }>('/whatsapp-verification'),
  checkVerification: (code: string) => call<{ verification: PortalVerification }>('/whatsapp-verification/check', json('POST', { code })),
};
