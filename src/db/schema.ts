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

/** Where a media item's bytes stand (migration 0008): being downloaded from the provider, in the media store, or gone at the provider. */
export type MediaState = 'pending' | 'stored' | 'unavailable';

/** One media item of a message (inbound MMS or WhatsApp media, portal upload, staff attachment). */
export type MediaItem = {
  contentType: string;
  /** Twilio media URL, or absent for WhatsApp (fetched by id). */
  url?: string;
  /** WhatsApp media id, fetched through the Graph API. */
  providerMediaId?: string;
  caption?: string;
  filename?: string;
  /** Id of its `media_objects` row (migration 0008): the media store copy, served at /v1/media/{mediaId}. */
  mediaId?: string;
  /** Absent on messages stored before migration 0008 (nothing downloaded). */
  state?: MediaState;
  /** Stored size in bytes. */
  size?: number;
  /** Pixel size of a stored image. */
  width?: number;
  height?: number;
  /** True when a thumbnail is stored (images). */
  thumbnail?: boolean;
};

export type OrganisationTable = {
  id: Generated<string>;
  name: string;
  slug: string;
  time_zone: Generated<string>;
  ai_enabled: Generated<boolean>;
  ai_credit_exhausted: Generated<boolean>;
  created_at: Generated<Date>;
  /** E.164 staff number alerted by SMS for each new portal message; null = no alert (migration 0006). */
  portal_notification_phone: ColumnType<string | null, string | null | undefined, string | null>;
  /** "Also text portal replies". */
  portal_reply_sms: Generated<boolean>;
  reminders_enabled: Generated<boolean>;
  /** Hours (1–48) before an unread staff message triggers a reminder email. */
  reminder_delay_hours: Generated<number>;
  ai_instructions: Generated<string>;
  opening_hours: Generated<string>;
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
  /** Twilio API key sid (SK…), used with `api_key_secret` instead of the auth token for sending (migration 0011). */
  api_key_sid: ColumnType<string | null, string | null | undefined, string | null>;
  /** Twilio API key secret (secret, encrypted). */
  api_key_secret: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The garage's own id from its management system (migration 0010). */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
};

export type VehicleTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  registration: string;
  make: string | null;
  model: string | null;
  created_at: Generated<Date>;
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
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
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
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
  /** Organisation-local day of the latest message, status change or note (the date scope's "any activity"); kept by triggers (migration 0018); null while there is none. */
  last_event_day: ColumnType<Date | string | null, never, never>;
  /** A withheld-number (or detached) call's own conversation is keyed on the call (migration 0012). */
  anonymous_call_sid: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  /** Why the AI handed this conversation to staff (the "AI handoff" tag); null when it never did (migration 0013). */
  ai_handoff_reason: ColumnType<string | null, string | null | undefined, string | null>;
  ai_handoff_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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
  /** The provider's own error text (may quote the recipient's number or address): `customers.contact.view` only (migration 0007b). */
  provider_error_text: ColumnType<string | null, string | null | undefined, string | null>;
  provider: string | null;
  provider_message_id: string | null;
  cost: string | null;
  cost_currency: string | null;
  pricing: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  ai_generated: Generated<boolean>;
  sender_user_id: string | null;
  /** The API token (named integration) that sent it (migration 0007b). */
  sender_token_id: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** When the customer first saw this garage message in the portal (migration 0009). */
  portal_read_at: NullableTimestamp;
  /** An unread-message reminder was decided for this message (migration 0011). */
  reminder_sent: Generated<boolean>;
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
  /** The provider's raw error text (migration 0007b). */
  error_text: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** Write order (migration 0010): ties on created_at within one transaction. */
  seq: ColumnType<string, never, never>;
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
  id: Generated<string>;
  /** SHA-256 of the code, hex (migration 0009): the code itself is never stored. */
  code_hash: string;
  org_id: string;
  customer_id: string | null;
  conversation_id: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  /** When staff revoked the link; its sessions end with it. */
  revoked_at: NullableTimestamp;
};

export type PortalSessionTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  conversation_id: string;
  /** The magic link the session was created from (migration 0009). */
  link_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
};

/** A failed look-up of a magic link, per client address (migration 0009; the rate limit). */
export type PortalLinkFailureTable = {
  id: Generated<string>;
  ip: string;
  attempted_at: Generated<Date>;
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
  attempted_at: ColumnType<Date, Date | undefined, Date>;
};

export type PasswordResetRequestTable = {
  id: Generated<string>;
  email: string;
  ip: string;
  requested_at: ColumnType<Date, Date | undefined, Date>;
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
  | 'conversation.work_order' | 'approval.requested' | 'approval.decided'
  | 'call.updated' | 'call.moved'
  /** A message's media changed state (downloaded, unavailable): migration 0008. */
  | 'message.media'
  | 'settings.quick_messages' | 'settings.templates';

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

/** A one-time code confirming a customer owns their WhatsApp number (migration 0010). */
export type WhatsAppVerificationTable = {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  phone: string;
  channel: 'whatsapp' | 'sms';
  code_hash: string;
  expires_at: Date;
  attempts: Generated<number>;
  sends: Generated<number>;
  last_sent_at: Generated<Date>;
  status: Generated<'pending' | 'verified' | 'locked' | 'cancelled'>;
  verified_at: NullableTimestamp;
  created_at: Generated<Date>;
};

export type QuickMessageTable = {
  id: Generated<string>;
  org_id: string;
  title: string;
  body: string;
  position: Generated<number>;
  created_at: Generated<Date>;
};

/** One media item's copy in the media store (migration 0008). */
export type MediaObjectTable = {
  org_id: string;
  id: Generated<string>;
  conversation_id: string;
  /** Null for a staff attachment uploaded before its reply. */
  message_id: string | null;
  /** Position in the message's `media` array; null with message_id. */
  item_index: number | null;
  /** `recording`: a call recording (migration 0015), served only by /v1/calls/{id}/recording. */
  source: 'twilio' | 'whatsapp' | 'upload' | 'recording';
  /** Twilio media URL or WhatsApp media id (downloads). */
  provider_ref: string | null;
  state: MediaState;
  content_type: string;
  size_bytes: number | null;
  width: number | null;
  height: number | null;
  storage_key: string | null;
  thumbnail_key: string | null;
  failure_reason: string | null;
  created_at: Generated<Date>;
  stored_at: NullableTimestamp;
};

/** One inbound message the AI answered, handed off or classified (migration 0013). */
export type AiReplyTable = {
  org_id: string;
  id: Generated<string>;
  conversation_id: string;
  inbound_message_id: string;
  reply_message_id: string | null;
  channel: string;
  action: 'reply' | 'handoff' | 'classify_only' | 'canned' | 'suppressed';
  /** The compose outcome (queued, bridged, failed, suppressed) or 'none' when nothing was sent. */
  outcome: string;
  category: 'general' | 'booking' | 'unknown' | null;
  handoff_reason: string | null;
  prompt_tokens: Generated<number>;
  completion_tokens: Generated<number>;
  /** Exact decimal as text. */
  credits: ColumnType<string, string | number | undefined, never>;
  inbound_at: Date;
  created_at: Generated<Date>;
};

/** AI credit entries; the balance is their sum (migration 0013). */
export type AiCreditLedgerTable = {
  org_id: string;
  id: Generated<string>;
  kind: 'allowance' | 'top_up' | 'reply';
  entry_key: string;
  /** Exact decimal as text; negative for debits. */
  credits: ColumnType<string, string | number, never>;
  created_at: Generated<Date>;
};

/** One unread-message reminder, keyed by its message (migration 0011). */
export type MessageReminderTable = {
  org_id: string;
  message_id: string;
  conversation_id: string;
  customer_id: string | null;
  status: Generated<'queued' | 'sent' | 'skipped'>;
  skip_reason: string | null;
  unsubscribe_token: Generated<string>;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
};

export type ReminderOptOutTable = {
  org_id: string;
  customer_id: string;
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
  portal_link_failures: PortalLinkFailureTable;
  roles: RoleTable;
  staff_users: StaffUserTable;
  staff_sessions: StaffSessionTable;
  password_resets: PasswordResetTable;
  sign_in_attempts: SignInAttemptTable;
  password_reset_requests: PasswordResetRequestTable;
  staff_audit_log: StaffAuditLogTable;
  conversation_activity_days: ConversationActivityDayTable;
  inbox_events: InboxEventTable;
  inbox_event_horizon: InboxEventHorizonTable;
  quick_messages: QuickMessageTable;
  whatsapp_verifications: WhatsAppVerificationTable;
  conversation_count_deltas: ConversationCountDeltaTable;
  calls: CallTable;
  call_events: CallEventTable;
  call_recordings: CallRecordingTable;
  voice_settings: VoiceSettingsTable;
  staff_call_phones: StaffCallPhoneTable;
  media_objects: MediaObjectTable;
  ai_replies: AiReplyTable;
  ai_credit_ledger: AiCreditLedgerTable;
  message_reminders: MessageReminderTable;
  reminder_opt_outs: ReminderOptOutTable;
};

export type Conversation = Selectable<ConversationTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;

/** A voice call (migration 0012): the state recomputed from its callbacks by src/domain/call-state.ts. */
export type CallTable = {
  id: Generated<string>;
  org_id: string;
  /** Null only for a call we placed until Twilio answers with its sid. */
  call_sid: string | null;
  message_id: string;
  direction: 'inbound' | 'outbound';
  caller_withheld: Generated<boolean>;
  status: Generated<string>;
  outcome: 'answered' | 'missed' | 'voicemail' | 'escalation' | 'errored' | null;
  duration_seconds: number | null;
  answered_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  answered_by: string | null;
  recording_sid: string | null;
  recording_status: string | null;
  recording_duration_seconds: number | null;
  /** Twilio's recording URL: only the download job uses it, never a client. */
  recording_url: string | null;
  transcript: string | null;
  transcript_source: 'twilio' | 'speech_to_text' | null;
  resolved_at: NullableTimestamp;
  resolved_by_user_id: string | null;
  placed_by_user_id: string | null;
  started_at: Generated<Date>;
  created_at: Generated<Date>;
};

export type CallEventKind = 'status' | 'dial' | 'leg' | 'recording' | 'transcription' | 'speech_to_text' | 'escalation';

export type CallEventTable = {
  id: Generated<string>;
  org_id: string;
  call_id: string;
  event_key: string;
  kind: CallEventKind;
  sequence_number: number | null;
  call_status: string | null;
  details: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
  received_at: Generated<Date>;
};

export type CallRecordingTable = {
  org_id: string;
  recording_sid: string;
  call_id: string;
  content_type: string;
  /** Only rows from before migration 0015, until the start-up move empties it; never written now. */
  audio: Buffer | null;
  /** Its `media_objects` row (source `recording`): the bytes are in the media store. */
  media_id: string | null;
  size_bytes: number | null;
  created_at: Generated<Date>;
};

export type VoiceSettingsTable = {
  org_id: string;
  ring_numbers: ColumnType<string[], string[] | undefined, string[]>;
  sip_address: string | null;
  ring_timeout_seconds: Generated<number>;
  voicemail_greeting: Generated<string>;
  /** E.164 number a call is passed on to when nobody on the ring list answers (migration 0015). */
  escalation_number: string | null;
  updated_at: Generated<Date>;
};

export type StaffCallPhoneTable = {
  org_id: string;
  user_id: string;
  phone: string;
  updated_at: Generated<Date>;
};
