/** Request and response schemas of `POST /v1/conversations/{id}/messages`. */
import { z } from 'zod';
import { messageSchema } from '../conversations/conversation.presenter.js';

export const sendMessageBody = z.object({
  body: z.string().max(4096).optional().describe('Free-form text; exclusive with template'),
  channel: z.enum(['sms', 'whatsapp', 'portal', 'email']).optional().describe("Default: the channel the customer last used"),
  template: z.object({
    name: z.string().min(1),
    language: z.string().optional(),
    params: z.record(z.string(), z.string()).default({}).describe('Every named placeholder of the template, e.g. {"customer_name":"Sam"}'),
  }).optional(),
  sender: z.discriminatedUnion('type', [
    z.object({ type: z.literal('staff'), userId: z.uuid().nullable().default(null) }),
    z.object({ type: z.literal('ai') }),
    z.object({ type: z.literal('system') }),
  ]).default({ type: 'staff', userId: null }).describe('Who is sending: a staff user (default), the AI (ai_generated), or the system. Ignored for signed-in staff, who always send as themselves. An API token sends as itself (the thread shows its name): {"type":"staff"} without userId means the token; a userId is refused (422 sender_not_allowed)'),
  category: z.enum(['transactional', 'service_reminders', 'marketing']).default('transactional').describe('What the message is about, for the consent gate'),
  subject: z.string().max(200).optional().describe('Email subject'),
  mediaIds: z.array(z.uuid()).max(10).optional().describe('Photos uploaded with POST /v1/conversations/{id}/attachments, in order; limits per channel: SMS/MMS 10 and 5 MB in all, WhatsApp one JPEG/PNG up to 5 MB, portal 5'),
});

export type SendMessageBody = z.infer<typeof sendMessageBody>;

export const sendMessageResponse = z.object({
  outcome: z.enum(['queued', 'bridged', 'failed', 'pending_approval']).describe('queued: delivery queued; bridged: the WhatsApp window was closed, the message failed and a bridge SMS was queued instead; failed: recorded failed (see failureReason); pending_approval: waiting in the Approval Queue (gated author)'),
  message: messageSchema,
  bridge: messageSchema.nullable(),
});

export const suppressedResponse = z.object({
  outcome: z.literal('suppressed'),
  reason: z.literal('ai_credit_exhausted_window_closed'),
});
