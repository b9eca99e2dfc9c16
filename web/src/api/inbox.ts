/** The inbox endpoints the staff app uses (docs/inbox-api.md). */
import { ApiError, del, get, post, put, query } from './client';
import type {
  Approval, ConversationDetail, ConversationList, Me, Message, QuickMessage, RangePreset, ReadFilter, ReplyOptions,
  SendBody, SendResult, StaffMember, Template, Thread, WorkOrderHit,
} from './types';

export type ListParams = { range: RangePreset; start?: string | null; end?: string | null; filter: ReadFilter; q?: string; cursor?: string | null; limit?: number };

export const fetchMe = () => get<Me>('/v1/me');

export function fetchConversations(p: ListParams, signal?: AbortSignal): Promise<ConversationList> {
  const search = p.q?.trim();
  return get<ConversationList>(`/v1/conversations${query({
    range: search ? null : p.range,
    start: !search && p.range === 'custom' ? p.start : null,
    end: !search && p.range === 'custom' ? p.end : null,
    filter: search ? null : p.filter,
    q: search,
    limit: p.limit ?? 50,
    cursor: p.cursor,
  })}`, signal);
}

const isMissingRoute = (e: unknown) => e instanceof ApiError && e.status === 404 && /^No route/.test(e.message);

/** The thread; before the thread endpoint existed, assembled from the older endpoints. */
export async function fetchThread(id: string, before?: string | null, signal?: AbortSignal): Promise<Thread> {
  try {
    return await get<Thread>(`/v1/conversations/${id}/thread${query({ limit: 50, before })}`, signal);
  } catch (e) {
    if (!isMissingRoute(e)) throw e;
  }
  const [conversation, page, templates] = await Promise.all([
    get<ConversationDetail>(`/v1/conversations/${id}`, signal),
    get<{ messages: Message[]; earlierCursor: string | null }>(`/v1/conversations/${id}/messages${query({ limit: 50, before })}`, signal),
    get<{ templates: Array<Template & { status: string }> }>('/v1/templates', signal).catch(() => ({ templates: [] })),
  ]);
  const channels: ReplyOptions['channels'] = ['sms', 'whatsapp', 'portal'];
  const last = conversation.lastChannel;
  return {
    conversation,
    messages: page.messages,
    earlierCursor: page.earlierCursor,
    reply: {
      channels,
      defaultChannel: last === 'voice' || last === null || last === 'email' ? 'sms' : last,
      whatsappFreeForm: conversation.whatsappWindow.state === 'open',
      templates: templates.templates.filter((t) => t.status === 'approved'),
    },
  };
}

export const markRead = (id: string) => post<{ markedRead: number }>(`/v1/conversations/${id}/read`);
export const sendMessage = (id: string, body: SendBody) => post<SendResult>(`/v1/conversations/${id}/messages`, body);
export const retryMessage = (id: string) => post<Message>(`/v1/messages/${id}/retry`);
export const assign = (id: string, userId: string | null) => put<unknown>(`/v1/conversations/${id}/assignee`, { userId });
export const linkWorkOrder = (id: string, workOrderId: string) => put<unknown>(`/v1/conversations/${id}/work-order`, { workOrderId });
export const unlinkWorkOrder = (id: string) => del<unknown>(`/v1/conversations/${id}/work-order`);

export async function searchWorkOrders(q: string, signal?: AbortSignal): Promise<WorkOrderHit[]> {
  const res = await get<{ workOrders: WorkOrderHit[] } | WorkOrderHit[]>(`/v1/work-orders${query({ q })}`, signal);
  return Array.isArray(res) ? res : res.workOrders ?? [];
}

export async function fetchQuickMessages(): Promise<QuickMessage[]> {
  const res = await get<{ quickMessages: QuickMessage[] } | QuickMessage[]>('/v1/quick-messages');
  return Array.isArray(res) ? res : res.quickMessages ?? [];
}

export async function fetchStaff(): Promise<StaffMember[]> {
  const res = await get<{ staff: StaffMember[] } | StaffMember[]>('/v1/staff');
  const list = Array.isArray(res) ? res : res.staff ?? [];
  return list.filter((s) => !s.disabledAt && !s.disabled);
}

export const fetchApprovals = () => get<{ approvals: Approval[] }>('/v1/approvals');
export const approve = (id: string, body?: string) => post<SendResult>(`/v1/approvals/${id}/approve`, body === undefined ? {} : { body });
export const reject = (id: string, reason: string) => post<Message>(`/v1/approvals/${id}/reject`, { reason });
