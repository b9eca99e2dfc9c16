/**
 * API shapes of a thread (docs/inbox-api.md): the conversation detail, its
 * entries, and the reply options. Timestamps are ISO-8601 UTC strings.
 */
import { z } from 'zod';
import { messageSchema } from '../api/conversations/conversation.presenter.js';
import { conversationRowSchema } from './conversation-row.schema.js';

export const conversationDetailSchema = conversationRowSchema.extend({
  customer: z.object({
    id: z.uuid(),
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    portalLastLoginAt: z.string().nullable().describe('Last portal sign-in; null when the customer never accessed the portal'),
  }).nullable(),
  activeWorkOrders: z.array(z.object({
    id: z.uuid(), number: z.string(), title: z.string(), status: z.string(), registration: z.string().nullable(),
  })).describe("The customer's active work orders (newest first): the choices when needsWorkOrderPick"),
});

export const callSchema = z.object({
  callId: z.uuid().nullable().describe('GET /v1/calls/{callId}: the call detail page'),
  state: z.enum(['ringing', 'in-progress', 'ended']),
  outcome: z.enum(['answered', 'missed', 'voicemail', 'escalation', 'errored']).nullable().describe('Null while the call is live'),
  durationSeconds: z.number().nullable().describe('Talk time, or the voicemail length, in seconds'),
  hasRecording: z.boolean().describe('A recording can be played from GET /v1/calls/{callId}/recording'),
  transcriptExcerpt: z.string().nullable().describe("The transcript's first lines"),
  awaitingResolution: z.boolean().describe('Keeps the conversation in Unread until Mark resolved'),
  answeredBy: z.string().nullable(),
});

export const threadEntrySchema = messageSchema.extend({
  senderName: z.string().describe('Staff name for staff replies and notes, the customer for inbound, the garage for automated messages, "System" for system entries'),
  call: callSchema.nullable().describe('Voice calls only: the call card'),
});

export const replyOptionsSchema = z.object({
  channels: z.array(z.enum(['whatsapp', 'sms', 'portal', 'email'])).describe('Channels a reply may use'),
  disabledChannels: z.array(z.object({ channel: z.enum(['whatsapp', 'sms']), reason: z.string() })).describe('Channels the consent gate refuses for this customer (WhatsApp switched off, SMS opted out), with the reason'),
  defaultChannel: z.enum(['whatsapp', 'sms', 'portal', 'email']).nullable().describe("The customer's last channel when available (SMS for voice)"),
  whatsappFreeForm: z.boolean().describe('The 24-hour window is open: free-form WhatsApp text is allowed; otherwise templates only'),
  templates: z.array(z.object({ name: z.string(), language: z.string(), category: z.string(), body: z.string(), placeholders: z.array(z.string()) })),
});

export const threadSchema = z.object({
  conversation: conversationDetailSchema,
  messages: z.array(threadEntrySchema),
  earlierCursor: z.string().nullable(),
  reply: replyOptionsSchema,
});

export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
export type ThreadEntry = z.infer<typeof threadEntrySchema>;
export type ThreadView = z.infer<typeof threadSchema>;
