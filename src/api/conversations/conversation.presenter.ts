/**
 * What the API shows of messages: one shape, one place (conversation rows:
 * src/inbox/conversation-row.schema.ts).
 * Timestamps are ISO-8601 UTC strings; `cost` is an exact decimal string in
 * major units of `costCurrency`.
 */
import { z } from 'zod';

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
  direction: z.enum(['inbound', 'outbound', 'internal']).describe("'internal' for system entries and staff notes, which never reach the customer"),
  channel: z.enum(['sms', 'whatsapp', 'portal', 'voice', 'email', 'internal']),
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

export type { ConversationRow as ConversationView } from '../../inbox/conversation-row.schema.js';
export type MessageView = z.infer<typeof messageSchema>;

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
