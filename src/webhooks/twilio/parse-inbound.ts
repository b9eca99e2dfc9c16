/**
 * Turns a Twilio inbound SMS/MMS/WhatsApp webhook (provider-protocols.md §1)
 * into an `InboundMessage`.
 */
import type { MediaItem } from '../../db/schema.js';
import type { InboundMessage } from '../../ingest/record-inbound.js';
import { parseTwilioAddress } from '../../domain/phone.js';
import { AppError } from '../../server/errors.js';
import { param, type FormParams } from '../form-body.js';

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const MAX_MEDIA = 10;

/**
 * @param receivedAt Twilio's inbound webhook carries no send time, so the time of receipt stands in
 * @throws AppError `malformed_payload` when a required field is missing or invalid
 */
export function parseTwilioInbound(params: FormParams, receivedAt: Date): InboundMessage {
  const sid = param(params, 'MessageSid') ?? param(params, 'SmsMessageSid');
  if (!sid || !SID.test(sid)) throw new AppError('malformed_payload', 'MessageSid is missing or is not a Twilio message sid.');
  const fromRaw = param(params, 'From');
  if (!fromRaw) throw new AppError('malformed_payload', 'From is missing.');
  const from = parseTwilioAddress(fromRaw);
  if (!from.e164) throw new AppError('malformed_payload', `From "${fromRaw}" is not a phone number.`);

  const numMedia = Number(param(params, 'NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA) {
    throw new AppError('malformed_payload', `NumMedia must be a whole number from 0 to ${MAX_MEDIA}.`);
  }
  const media: MediaItem[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = param(params, `MediaUrl${i}`);
    const contentType = param(params, `MediaContentType${i}`);
    if (!url || !contentType) throw new AppError('malformed_payload', `MediaUrl${i} and MediaContentType${i} are required when NumMedia is ${numMedia}.`);
    media.push({ url, contentType });
  }

  const profileName = param(params, 'ProfileName');
  const buttonPayload = param(params, 'ButtonPayload');
  return {
    channel: from.channel,
    provider: 'twilio',
    providerMessageId: sid,
    from: from.e164,
    contactName: profileName || null,
    contentType: media.length > 0 ? 'media' : 'text',
    body: param(params, 'Body') ?? '',
    media,
    metadata: {
      ...(param(params, 'NumSegments') ? { numSegments: Number(param(params, 'NumSegments')) } : {}),
      ...(param(params, 'OptOutType') ? { optOutType: param(params, 'OptOutType') } : {}),
      ...(buttonPayload ? { buttonPayload } : {}),
    },
    occurredAt: receivedAt,
    providerClock: false,
  };
}
