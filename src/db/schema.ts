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
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
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
  created_at: Generated<Date>;
};

export type ChannelIdentityTable = {
  id: Generated<string>;
  org_id: string;
  provider: 'twilio' | 'whatsapp';
  kind: 'phone_number' | 'messaging_service' | 'whatsapp_phone_number';
  address: string;
  display_number: string | null;
  auth_token: string | null;
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
  created_at: Generated<Date>;
};

export type MessageTable = {
  id: Generated<string>;
  org_id: string;
  conversation_id: string;
  direction: Direction;
  channel: Channel;
  content_type: Generated<string>;
  body: Generated<string>;
  media: Json<MediaItem[]>;
  metadata: Json<Record<string, unknown>>;
  status: DeliveryStatus | null;
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
};

export type Conversation = Selectable<ConversationTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
