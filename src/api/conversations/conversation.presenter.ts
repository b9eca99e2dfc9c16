/**
 * What the API shows of conversations and messages: one shape, one place.
 * Timestamps are ISO-8601 UTC strings; `cost` is an exact decimal string in
 * major units of `costCurrency`.
 */
import { z } from 'zod';

export const conversationSchema = z.object({
  id: z.uuid(),
  customer: z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable() }).nullable(),
  contactPhone: z.string().nullable().describe('Phone of an unmatched sender (E.164); null when a customer matched'),
  contactName: z.string().nullable().describe('Profile name the sender gave (WhatsApp)'),
  lastChannel: z.enum(['sms', 'whatsapp', 'portal', 'voice', 'email']).nullable(),
  lastActivityAt: z.string(),
  assigneeId: z.uuid().nullable(),
  workOrder: z.object({ id: z.uuid(), number: z.string(), title: z.string() }).nullable(),
  needsWorkOrderPick: z.boolean().describe('Customer has several active work orders: staff pick one to link'),
  contextBadge: z.enum(['general', 'booking', 'unknown']).nullable(),
  whatsappWindow: z.object({
    state: z.enum(['open', 'expired', 'never_opened']),
    expiresAt: z.string().nullable(),
  }),
  messageCount: z.number().int(),
  unreadCount: z.number().int(),
});

export const mediaSchema = z.object({
  contentType: z.string(),
  url: z.string().optional(),
  providerMediaId: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(['inbound', 'outbound']),
  channel: z.enum(['sms', 'whatsapp', 'portal', 'voice', 'email']),
  contentType: z.string(),
  body: z.string(),
  media: z.array(mediaSchema),
  status: z.enum(['pending', 'sent', 'delivered', 'read', 'failed', 'pending_approval', 'rejected']).nullable().describe('Delivery status of outbound messages (or pending_approval / rejected in the approval queue); null for inbound'),
  failureReason: z.string().nullable(),
  providerErrorCode: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  cost: z.string().nullable(),
  costCurrency: z.string().nullable(),
  aiGenerated: z.boolean(),
  senderUserId: z.uuid().nullable(),
  notificationType: z.string().nullable(),
  occurredAt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export type ConversationView = z.infer<typeof conversationSchema>;
export type MessageView = z.infer<typeof messageSchema>;

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
