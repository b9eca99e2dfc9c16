/** Typed client for the customer and work-order routes (src/api/customers, src/api/work-orders). */
import { get, patch, post, put, query } from './client';

export type ConsentCategory = 'transactional' | 'service_reminders' | 'marketing' | 'whatsapp';
export type ConsentRow = { category: ConsentCategory; granted: boolean; source: string; sourceLabel: string; updatedAt: string | null; performedBy: string | null };

export type DirectoryCustomer = {
  id: string; name: string; phone: string | null; email: string | null; registrations: string[];
  conversationId: string | null; lastActivityAt: string | null; activeWorkOrders: number;
};
export type Directory = { customers: DirectoryCustomer[]; total: number; page: number; pageSize: number };

export type CustomerProfile = {
  id: string; name: string; externalId: string | null; phone: string | null; email: string | null; hasPhone: boolean; hasEmail: boolean;
  createdAt: string; portalLastLoginAt: string | null;
  vehicles: Array<{ id: string; registration: string; make: string | null; model: string | null }>;
  workOrders: Array<{ id: string; number: string; title: string; status: string; createdAt: string; registration: string | null }>;
  conversation: { id: string; lastChannel: string | null; lastActivityAt: string } | null;
  consents: ConsentRow[];
};

export type ConsentHistory = {
  entries: Array<{ id: string; category: string; action: 'granted' | 'revoked'; previousValue: boolean | null; source: string; sourceLabel: string; performedBy: string | null; ipAddress: string | null; userAgent: string | null; at: string }>;
  stateAt: Array<{ category: string; granted: boolean | null; source: string | null; sourceLabel: string | null; since: string | null }> | null;
};

export type NewCustomer = { name: string; phone?: string; email?: string; vehicles?: Array<{ registration: string }>; fromConversationId?: string };

export const fetchDirectory = (q: string, page: number, signal?: AbortSignal) => get<Directory>(`/v1/customers${query({ q, page })}`, signal);
export const fetchCustomer = (id: string, signal?: AbortSignal) => get<CustomerProfile>(`/v1/customers/${id}`, signal);
export const createCustomer = (c: NewCustomer) => post<{ id: string }>('/v1/customers', c);
export const updateCustomer = (id: string, c: Partial<Pick<NewCustomer, 'name' | 'phone' | 'email'>>) => patch<CustomerProfile>(`/v1/customers/${id}`, c);
export const addVehicle = (id: string, registration: string) => post<{ id: string }>(`/v1/customers/${id}/vehicles`, { registration });
export const setConsent = (id: string, category: ConsentCategory, granted: boolean) => put<{ changed: boolean }>(`/v1/customers/${id}/consent/${category}`, { granted });
export const fetchConsentHistory = (id: string, at: string | null, signal?: AbortSignal) => get<ConsentHistory>(`/v1/customers/${id}/consent-history${query({ at })}`, signal);
export const customerConversation = (id: string) => post<{ conversationId: string; created: boolean }>(`/v1/customers/${id}/conversation`);

export type WorkOrder = { id: string; number: string; title: string; status: string; customer: { id: string; name: string }; registration: string | null };
export const fetchWorkOrders = (q: string, signal?: AbortSignal) => get<{ workOrders: WorkOrder[] }>(`/v1/work-orders${query({ q })}`, signal);
export const fetchWorkOrder = (id: string, signal?: AbortSignal) => get<WorkOrder>(`/v1/work-orders/${id}`, signal);
export const workOrderConversation = (id: string, signal?: AbortSignal) => get<{ conversationId: string }>(`/v1/work-orders/${id}/conversation`, signal);

export type ImportResult = { imported: number; created: Array<{ row: number; id: string }>; errors: Array<{ row: number; field: string | null; message: string }> };
export const importCustomers = (csv: string) => post<ImportResult>('/v1/customers/import', { csv });
export const sendPortalInvite = (id: string, channel: 'sms' | 'email') =>
  post<{ outcome: 'queued' | 'pending_approval' | 'bridged' | 'failed'; messageId: string; conversationId: string }>(`/v1/customers/${id}/portal-invite`, { channel });
/** The Subject Access Request zip (a plain download: the session cookie authenticates it). */
export const sarExportUrl = (id: string) => `/v1/customers/${id}/export`;
