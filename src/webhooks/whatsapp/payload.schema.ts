/**
 * The parts of Meta's WhatsApp Cloud API webhook envelope we read
 * (provider-protocols.md §7). Unknown keys pass through: Meta adds fields
 * without notice.
 */
import { z } from 'zod';

const media = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().min(1),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const error = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

export const whatsAppMessage = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d{1,12}$/, 'timestamp must be unix seconds'),
  type: z.string().min(1),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  location: z
    .looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  reaction: z.looseObject({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
  context: z.looseObject({ from: z.string().optional(), id: z.string().optional() }).optional(),
  errors: z.array(error).optional(),
});

export const whatsAppStatus = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().regex(/^\d{1,12}$/, 'timestamp must be unix seconds'),
  recipient_id: z.string().optional(),
  errors: z.array(error).optional(),
  pricing: z.looseObject({}).optional(),
  conversation: z.looseObject({}).optional(),
});

const messagesValue = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  /** Each message is checked on its own (`whatsAppMessage`): one malformed message never refuses the batch. */
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(whatsAppStatus).optional(),
  errors: z.array(error).optional(),
});

const change = z.looseObject({ field: z.string(), value: z.looseObject({}) });

export const whatsAppEnvelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ id: z.string().optional(), changes: z.array(change) })),
});

export const whatsAppTemplateStatusValue = z.looseObject({
  event: z.string().min(1),
  message_template_id: z.union([z.number(), z.string()]).transform(String),
  message_template_name: z.string().min(1),
  message_template_language: z.string().min(1),
  reason: z.string().nullish(),
});

export const whatsAppMessagesValue = messagesValue;
export type WhatsAppMessage = z.infer<typeof whatsAppMessage>;
export type WhatsAppStatus = z.infer<typeof whatsAppStatus>;
export type WhatsAppMessagesValue = z.infer<typeof messagesValue>;
