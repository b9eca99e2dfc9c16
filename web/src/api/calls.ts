/** The voice calls API (`/v1/calls`, docs: README "Voice calls"). */
import { request } from './client';
import type { CallView } from './types';

export const fetchCall = (id: string, signal?: AbortSignal) => request<CallView>('GET', `/v1/calls/${id}`, undefined, signal);
export const resolveCall = (id: string) => request<{ id: string; changed: boolean }>('POST', `/v1/calls/${id}/resolve`, {});
export const reassignCall = (id: string, customerId: string | null, reason: string) =>
  request<{ id: string; fromConversationId: string; toConversationId: string; changed: boolean }>('POST', `/v1/calls/${id}/reassign`, { customerId, ...(reason.trim() ? { reason: reason.trim() } : {}) });
export const searchCallCustomers = (q: string, signal?: AbortSignal) =>
  request<{ customers: Array<{ id: string; name: string; phone: string | null }> }>('GET', `/v1/calls/customers?q=${encodeURIComponent(q)}`, undefined, signal);
export const placeCall = (conversationId: string, staffPhone: string | null) =>
  request<{ callId: string }>('POST', `/v1/conversations/${conversationId}/calls`, staffPhone ? { staffPhone } : {});
