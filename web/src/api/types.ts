/** The inbox API's shapes (docs/inbox-api.md). Timestamps are ISO-8601 UTC strings. */
import type { DatePreset } from '../../../src/domain/date-range.js';
import type { WindowState } from '../../../src/domain/whatsapp-window.js';

export type Channel = 'sms' | 'whatsapp' | 'portal' | 'voice' | 'email';
export type MessageChannel = Channel | 'internal';
export type SendChannel = 'sms' | 'whatsapp' | 'portal' | 'email';
export type RangePreset = DatePreset;
export type ReadFilter = 'all' | 'unread' | 'unassigned' | 'mine';
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'pending_approval' | 'rejected';

export type WhatsAppWindow = { state: WindowState; expiresAt: string | null };

export type Preview = {
  messageId: string;
  body: string;
  direction: 'inbound' | 'outbound' | 'internal';
  channel: MessageChannel;
  contentType: string;
  occurredAt: string;
  /** Who wrote an outbound preview (server: src/inbox/conversation-row.schema.ts). */
  sender?: { kind: 'staff' | 'ai' | 'system'; id: string | null; name: string | null } | null;
};

export type HighlightSegment = { text: string; match: boolean };

export type ConversationRow = {
  id: string;
  displayName?: string;
  customer: { id: string; name: string; phone: string | null; registration?: string | null } | null;
  contactPhone: string | null;
  contactName: string | null;
  lastChannel: Channel | null;
  lastActivityAt: string;
  unreadCount: number;
  assignee?: { id: string; name: string } | null;
  assigneeId: string | null;
  workOrder: { id: string; number: string; title: string } | null;
  needsWorkOrderPick: boolean;
  contextBadge: 'general' | 'booking' | 'unknown' | null;
  /** The AI receptionist handed this conversation to staff. */
  aiHandoff?: { reason: string; label: 'AI handoff' } | null;
  whatsappWindow: WhatsAppWindow;
  preview?: Preview | null;
  match?: { kind: 'name' | 'phone' | 'message'; messageId: string | null; highlight: HighlightSegment[] };
};

export type FilterCounts = { all: number; unread: number; unassigned: number; mine: number };

export type RangeInfo = { preset: RangePreset; label: string; from: string | null; to: string | null; timeZone: string };

export type ConversationList = {
  conversations: ConversationRow[];
  nextCursor: string | null;
  counts?: FilterCounts;
  range?: RangeInfo;
  filter?: ReadFilter;
  query?: string | null;
};

/** The call card of a voice entry (server: src/domain/message-preview.ts CallDetails). */
export type CallDetail = {
  callId: string | null;
  state: 'ringing' | 'in-progress' | 'ended';
  outcome: 'answered' | 'missed' | 'voicemail' | 'escalation' | 'errored' | null;
  durationSeconds: number | null;
  hasRecording: boolean;
  transcriptExcerpt: string | null;
  awaitingResolution: boolean;
  answeredBy: string | null;
};

/** GET /v1/calls/{id} (server: src/voice/call-detail.ts). */
export type CallView = {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  status: string;
  outcome: CallDetail['outcome'];
  durationSeconds: number | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  answeredBy: string | null;
  caller: { withheld: boolean; phone: string | null; customer: { id: string; name: string } | null; displayName: string };
  placedBy: string | null;
  recording: { status: string; durationSeconds: number | null; url: string | null } | null;
  transcript: { text: string; source: 'twilio' | 'speech_to_text' } | null;
  awaitingResolution: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  timeline: Array<{ at: string; kind: string; label: string }>;
};

/** One photo or file of a message; `mediaId` + `state` once it is in the media store (GET /v1/media/{mediaId}). */
export type MediaItem = {
  contentType: string;
  url?: string;
  caption?: string;
  filename?: string;
  mediaId?: string;
  state?: 'pending' | 'stored' | 'unavailable';
  size?: number;
  width?: number;
  height?: number;
  thumbnail?: boolean;
};

export type Message = {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  channel: MessageChannel;
  contentType: string;
  body: string;
  media: MediaItem[];
  status: MessageStatus | null;
  failureReason: string | null;
  providerErrorCode: string | null;
  aiGenerated: boolean;
  senderUserId: string | null;
  notificationType: string | null;
  occurredAt: string;
  createdAt: string;
  readAt: string | null;
  senderName?: string | null;
  call?: CallDetail | null;
};

export type ActiveWorkOrder = { id: string; number: string; title: string; status: string; registration: string | null };

export type ConversationDetail = Omit<ConversationRow, 'customer'> & {
  customer: { id: string; name: string; phone: string | null; email?: string | null; portalLastLoginAt?: string | null } | null;
  activeWorkOrders?: ActiveWorkOrder[];
};

export type Template = { name: string; language: string; body: string; placeholders: string[] };

export type ReplyOptions = { channels: SendChannel[]; disabledChannels?: Array<{ channel: SendChannel; reason: string }>; defaultChannel: SendChannel | null; whatsappFreeForm: boolean; templates: Template[] };

export type Thread = { conversation: ConversationDetail; messages: Message[]; earlierCursor: string | null; reply: ReplyOptions };

export type Me = { kind: 'staff' | 'token'; id: string | null; name: string; role: string | null; orgId: string; capabilities: string[]; aiEnabled?: boolean };

export type StaffMember = { id: string; name: string; email?: string; role?: string | null; roleName?: string | null; disabledAt?: string | null; disabled?: boolean };

export type WorkOrderHit = { id: string; number: string; title: string; status?: string; registration?: string | null; customer?: { id: string; name: string } | null };

export type QuickMessage = { id: string; title: string; body: string };

export type Approval = {
  message: Message;
  author: { id: string | null; name: string | null };
  conversation: { id: string; customerName: string | null; contactPhone: string | null; lastChannel: string | null };
  recentMessages: Message[];
};

export type SendBody = {
  body?: string;
  channel?: SendChannel;
  template?: { name: string; language?: string; params: Record<string, string> };
  mediaIds?: string[];
};

export type SendResult =
  | { outcome: 'queued' | 'bridged' | 'failed' | 'pending_approval'; message: Message; bridge: Message | null }
  | { outcome: 'suppressed'; reason: string };

export type InboxEventType =
  | 'message.created' | 'message.status' | 'conversation.read' | 'conversation.assigned'
  | 'conversation.work_order' | 'approval.requested' | 'approval.decided' | 'message.media' | 'call.updated' | 'call.moved' | 'resync'
  | 'settings.quick_messages' | 'settings.templates';

/** The message fields carried by message.* and approval.* events. */
export type MessageEventPayload = Pick<Message, 'id' | 'conversationId' | 'direction' | 'channel' | 'contentType' | 'body' | 'status' | 'failureReason' | 'senderUserId' | 'occurredAt'> & { media?: MediaItem[] };

export type InboxEvent = { type: InboxEventType; conversationId: string | null; payload: Record<string, unknown>; at: string };
