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
  mediaId: z.uuid().optional().describe('The stored copy: GET /v1/media/{mediaId} (and …/thumbnail when thumbnail is true)'),
  state: z.enum(['pending', 'stored', 'unavailable']).optional().describe('pending: being downloaded from the provider; unavailable: the provider no longer has it ("Photo unavailable")'),
  size: z.number().int().optional().describe('Stored size in bytes'),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  thumbnail: z.boolean().optional(),
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
  failureReason: z.string().nullable().describe("Our human reason for a failure (the provider's code looked up, src/domain/provider-failure.ts), or the rule that stopped it"),
  providerErrorCode: z.string().nullable(),
  providerErrorText: z.string().nullable().describe("The provider's own error text; null without customers.contact.view (it may quote the recipient)"),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable().describe('Null without customers.contact.view (a WhatsApp wamid embeds the phone number)'),
  cost: z.string().nullable(),
  costCurrency: z.string().nullable(),
  aiGenerated: z.boolean(),
  senderUserId: z.uuid().nullable(),
  senderTokenId: z.uuid().nullable().describe('The API token (named integration) that sent it'),
  notificationType: z.string().nullable(),
  occurredAt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export type { ConversationRow as ConversationView } from '../../inbox/conversation-row.schema.js';
export type MessageView = z.infer<typeof messageSchema>;

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
