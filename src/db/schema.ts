/**
 * Kysely table types mirroring `src/db/migrations`. Timestamps are
 * `timestamptz` (UTC); `cost` is an exact decimal string in major units of
 * `cost_currency` (providers price in fractions of a cent, e.g. "0.0075" USD).
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type Channel = 'sms' | 'whatsapp' | 'portal' | 'voice' | 'email';
export type Direction = 'inbound' | 'outbound';
/** Where a thread entry came from: a customer-facing message's direction, or 'internal' for system entries and staff notes. */
export type EntryDirection = Direction | 'internal';
/** A thread entry's channel: a message channel, or 'internal' for system entries and staff notes. */
export type EntryChannel = Channel | 'internal';
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
/** A message's status: its delivery status, or where it stands in the approval queue. */
export type MessageStatus = DeliveryStatus | 'pending_approval' | 'rejected';
export type ContextBadge = 'general' | 'booking' | 'unknown';
export type WorkOrderStatus = 'booked' | 'in_progress' | 'awaiting_parts' | 'ready' | 'completed' | 'cancelled';

/** One item of an inbound MMS or WhatsApp media message. */
export type MediaItem = {
  contentType: string;
  /** Twilio media URL, or absent for WhatsApp (fetched by id). */
  url?: string;
  /** WhatsApp media id, fetched through the Graph API. */
  providerMediaId?: string;
  caption?: string;
  filename?: string;
};

export type OrganisationTable = {
  id: Generated<string>;
  name: string;
  slug: string;
  time_zone: Generated<string>;
  ai_enabled: Generated<boolean>;
  ai_credit_exhausted: Generated<boolean>;
  created_at: Generated<Date>;
};

export type ChannelIdentityTable = {
  id: Generated<string>;
  org_id: string;
  provider: 'twilio' | 'whatsapp' | 'smtp';
  kind: 'phone_number' | 'messaging_service' | 'whatsapp_phone_number' | 'email_address';
  address: string;
  display_number: string | null;
  /** Twilio auth token (secret). */
  auth_token: string | null;
  /** Twilio account sid (AC…). */
  account_sid: ColumnType<string | null, string | null | undefined, string | null>;
  /** WhatsApp Cloud API access token (secret). */
  access_token: ColumnType<string | null, string | null | undefined, string | null>;
  /** WhatsApp Business Account id, for template management. */
  waba_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
};

export type CustomerTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  phone: string | null;
  email: string | null;
  portal_last_login_at: NullableTimestamp;
  created_at: Generated<Date>;
};

export type VehicleTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  registration: string;
  make: string | null;
  model: string | null;
  created_at: Generated<Date>;
};

export type WorkOrderTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  vehicle_id: string | null;
  number: string;
  title: string;
  status: WorkOrderStatus;
  created_at: Generated<Date>;
};

export type ConversationTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  contact_phone: string | null;
  contact_name: string | null;
  last_channel: Channel | null;
  last_inbound_at: NullableTimestamp;
  last_activity_at: Timestamp;
  assignee_id: string | null;
  work_order_id: string | null;
  needs_work_order_pick: Generated<boolean>;
  context_badge: ContextBadge | null;
  whatsapp_window_expires_at: NullableTimestamp;
  /** When the last bridge SMS went out; one per conversation per 24 hours. */
  last_bridge_sent_at: NullableTimestamp;
  /** Inbound messages not yet read; kept by a trigger on messages (migration 0005). */
  unread_count: Generated<number>;
  /** Latest message, status change or note (the date scope's "any activity"); kept by triggers; null while there is none. */
  last_event_at: ColumnType<Date | null, never, never>;
  created_at: Generated<Date>;
};

export type MessageTable = {
  id: Generated<string>;
  org_id: string;
  conversation_id: string;
  direction: EntryDirection;
  channel: EntryChannel;
  content_type: Generated<string>;
  body: Generated<string>;
  media: Json<MediaItem[]>;
  metadata: Json<Record<string, unknown>>;
  status: MessageStatus | null;
  failure_reason: string | null;
  provider_error_code: string | null;
  provider: string | null;
  provider_message_id: string | null;
  cost: string | null;
  cost_currency: string | null;
  pricing: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  ai_generated: Generated<boolean>;
  sender_user_id: string | null;
  notification_type: string | null;
  occurred_at: Timestamp;
  created_at: Generated<Date>;
  status_updated_at: NullableTimestamp;
  read_at: NullableTimestamp;
  template_id: ColumnType<string | null, string | null | undefined, string | null>;
  template_params: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  consent_category: ColumnType<MessageCategory | null, MessageCategory | null | undefined, MessageCategory | null>;
  attempts: Generated<number>;
  sent_at: NullableTimestamp;
  approved_by_id: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: NullableTimestamp;
};

export type MessageStatusEventTable = {
  id: Generated<string>;
  org_id: string;
  provider: string;
  provider_message_id: string;
  status: DeliveryStatus;
  provider_status: string;
  error_code: string | null;
  error_title: string | null;
  occurred_at: NullableTimestamp;
  received_at: Generated<Date>;
};

export type ApiTokenTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  revoked_at: NullableTimestamp;
  capabilities: ColumnType<string[], string[] | undefined, string[]>;
};

/** Consent categories (spec: whatsapp-consent.txt). */
export type ConsentCategory = 'transactional' | 'service_reminders' | 'marketing' | 'whatsapp';
/** What an outbound message is about, for the consent gate. */
export type MessageCategory = Exclude<ConsentCategory, 'whatsapp'>;
export type ConsentSource = 'org_default' | 'hardcoded_default' | 'staff_entry' | 'portal_preference' | 'import' | 'otp_verification';
export type TemplateStatus = 'pending' | 'approved' | 'rejected' | 'paused';

export type ConsentDefaultsTable = {
  org_id: string;
  service_reminders: boolean;
  marketing: boolean;
  whatsapp: boolean;
  updated_at: Generated<Date>;
};

export type CustomerConsentTable = {
  org_id: string;
  customer_id: string;
  category: ConsentCategory;
  granted: boolean;
  source: ConsentSource;
  performed_by_id: string | null;
  updated_at: Generated<Date>;
};

export type SmsOptOutTable = {
  org_id: string;
  phone: string;
  opted_out: boolean;
  updated_at: Generated<Date>;
};

export type ConsentAuditLogTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  phone: string | null;
  category: ConsentCategory | 'sms';
  action: 'granted' | 'revoked';
  previous_value: boolean | null;
  source: string;
  ip_address: string | null;
  user_agent: string | null;
  performed_by_id: string | null;
  created_at: Generated<Date>;
};

export type MessageTemplateTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  language: Generated<string>;
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  body: string;
  placeholders: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<TemplateStatus>;
  provider_template_id: string | null;
  rejection_reason: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type PortalLinkTable = {
  code: string;
  org_id: string;
  customer_id: string | null;
  conversation_id: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
};

export type PortalSessionTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  conversation_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
};

export type RoleTable = {
  id: Generated<string>;
  org_id: string;
  key: 'owner' | 'manager' | 'service_advisor' | 'technician' | null;
  name: string;
  capabilities: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type StaffUserTable = {
  id: Generated<string>;
  org_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role_id: string;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
};

export type StaffSessionTable = {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
};

export type PasswordResetTable = {
  token_hash: string;
  org_id: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
};

export type SignInAttemptTable = {
  id: Generated<string>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Generated<Date>;
};

export type StaffAuditLogTable = {
  id: Generated<string>;
  org_id: string;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
  reason: string | null;
  created_at: Generated<Date>;
};

export type ConversationActivityDayTable = {
  org_id: string;
  conversation_id: string;
  /** Organisation-local calendar day (YYYY-MM-DD) with any message, status change or note. */
  day: ColumnType<string, string, string>;
};

export type InboxEventType =
  | 'message.created' | 'message.status' | 'conversation.read' | 'conversation.assigned'
  | 'conversation.work_order' | 'approval.requested' | 'approval.decided';

export type InboxEventTable = {
  id: Generated<string>;
  /** Id of the writing transaction (xid8, as a decimal string): delivery order is (tx, id). */
  tx: Generated<string>;
  org_id: string;
  type: InboxEventType;
  conversation_id: string | null;
  payload: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
};

export type InboxEventHorizonTable = {
  singleton: Generated<boolean>;
  pruned_tx: string;
  pruned_id: string;
};

export type ConversationCountDeltaTable = {
  id: Generated<number>;
  org_id: string;
  /** null: unassigned conversations. */
  assignee_id: string | null;
  conversations: number;
  unread: number;
};

export type QuickMessageTable = {
  id: Generated<string>;
  org_id: string;
  title: string;
  body: string;
  position: Generated<number>;
  created_at: Generated<Date>;
};

export type Database = {
  organisations: OrganisationTable;
  channel_identities: ChannelIdentityTable;
  customers: CustomerTable;
  vehicles: VehicleTable;
  work_orders: WorkOrderTable;
  conversations: ConversationTable;
  messages: MessageTable;
  message_status_events: MessageStatusEventTable;
  api_tokens: ApiTokenTable;
  consent_defaults: ConsentDefaultsTable;
  customer_consents: CustomerConsentTable;
  sms_opt_outs: SmsOptOutTable;
  consent_audit_log: ConsentAuditLogTable;
  message_templates: MessageTemplateTable;
  portal_links: PortalLinkTable;
  portal_sessions: PortalSessionTable;
  roles: RoleTable;
  staff_users: StaffUserTable;
  staff_sessions: StaffSessionTable;
  password_resets: PasswordResetTable;
  sign_in_attempts: SignInAttemptTable;
  staff_audit_log: StaffAuditLogTable;
  conversation_activity_days: ConversationActivityDayTable;
  inbox_events: InboxEventTable;
  inbox_event_horizon: InboxEventHorizonTable;
  quick_messages: QuickMessageTable;
  conversation_count_deltas: ConversationCountDeltaTable;
};

export type Conversation = Selectable<ConversationTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
