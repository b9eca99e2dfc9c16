/**
 * The API shapes of the inbox: a conversation row of the list, its preview,
 * a search match, the four filter counts and the active date range
 * (docs/inbox-api.md). Timestamps are ISO-8601 UTC strings.
 */
import { z } from 'zod';

const channel = z.enum(['sms', 'whatsapp', 'portal', 'voice', 'email']);

export const previewSchema = z.object({
  messageId: z.uuid(),
  body: z.string().describe('One line: the text, or "Photo", "Voice call - 41s - ended", "Voicemail - 0:38" …'),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  channel: z.enum(['sms', 'whatsapp', 'portal', 'voice', 'email', 'internal']),
  contentType: z.string(),
  occurredAt: z.string(),
  sender: z.object({ kind: z.enum(['staff', 'ai', 'system']), id: z.uuid().nullable(), name: z.string().nullable() }).nullable()
    .describe("Who wrote an outbound preview: a staff member (by name), the AI, or the garage's automated messages; null for the customer's"),
});

export const highlightSchema = z.array(z.object({ text: z.string(), match: z.boolean() }))
  .describe('The matched text as segments; segments with match: true are the words that matched');

export const searchMatchSchema = z.object({
  kind: z.enum(['name', 'phone', 'message']),
  messageId: z.uuid().nullable(),
  highlight: highlightSchema,
});

export const conversationRowSchema = z.object({
  id: z.uuid(),
  displayName: z.string().describe('Customer name, else the sender profile name, else the phone (hidden from technicians), else "Unknown sender"'),
  customer: z.object({
    id: z.uuid(), name: z.string(), phone: z.string().nullable(),
    registration: z.string().nullable().describe("The customer's first vehicle registration (every role may see it): tells same-name customers apart"),
  }).nullable(),
  contactPhone: z.string().nullable().describe('Phone of an unmatched sender (E.164); null when a customer matched or hidden'),
  contactName: z.string().nullable().describe('Profile name the sender gave (WhatsApp)'),
  lastChannel: channel.nullable().describe('How the customer last communicated: the row\'s channel icon'),
  lastActivityAt: z.string(),
  unreadCount: z.number().int(),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assigneeId: z.uuid().nullable(),
  workOrder: z.object({ id: z.uuid(), number: z.string(), title: z.string() }).nullable(),
  needsWorkOrderPick: z.boolean().describe('Customer has several active work orders: staff pick one to link'),
  contextBadge: z.enum(['general', 'booking', 'unknown']).nullable(),
  aiHandoff: z.object({ reason: z.string(), label: z.literal('AI handoff') }).nullable().describe('The AI receptionist handed this conversation to staff (the "AI handoff" tag), and why'),
  whatsappWindow: z.object({ state: z.enum(['open', 'expired', 'never_opened']), expiresAt: z.string().nullable() }),
  preview: previewSchema.nullable(),
  match: searchMatchSchema.optional(),
});

export const filterCountsSchema = z.object({
  all: z.number().int(),
  unread: z.number().int(),
  unassigned: z.number().int(),
  mine: z.number().int(),
});

export type ConversationRow = z.infer<typeof conversationRowSchema>;
export type FilterCounts = z.infer<typeof filterCountsSchema>;
export type HighlightSegment = z.infer<typeof highlightSchema>[number];
