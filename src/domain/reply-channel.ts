/**
 * Which channel a staff reply goes out on by default (spec:
 * messaging-inbox.txt): replies default to the channel the customer last
 * used; a voice-only thread offers "Reply by SMS", since the customer cannot
 * be replied to on the voice channel.
 */
import type { Channel } from '../db/schema.js';

/** A channel a message can be sent on: every channel except voice. */
export type OutboundChannel = Exclude<Channel, 'voice'>;

/**
 * Fallback order when the customer's last channel is not available:
 * WhatsApp, SMS (both reach the phone in their pocket), then portal (needs
 * the customer to log in), then email.
 */
export const REPLY_CHANNEL_FALLBACK: readonly OutboundChannel[] = Object.freeze(['whatsapp', 'sms', 'portal', 'email'] as const);

/**
 * The default channel for a reply.
 * @param lastChannel the channel the customer last used in the conversation
 *   (null when unknown); voice maps to SMS
 * @param available the channels this conversation can be replied on now
 *   (order and duplicates do not matter)
 * @returns the last channel (SMS for voice) when available, otherwise the
 *   first available channel in REPLY_CHANNEL_FALLBACK order; null when none
 *   is available
 */
export function defaultReplyChannel(lastChannel: Channel | null, available: ReadonlyArray<OutboundChannel>): OutboundChannel | null {
  const preferred: OutboundChannel | null = lastChannel === 'voice' ? 'sms' : lastChannel;
  if (preferred && available.includes(preferred)) return preferred;
  return REPLY_CHANNEL_FALLBACK.find((channel) => available.includes(channel)) ?? null;
}

/** What a conversation has to reply with: who it is with, and which providers the garage has configured. */
export type ReplyReach = {
  /** The customer's phone, or the unknown sender's (E.164); null when there is none. */
  phone: string | null;
  /** The matched customer (portal and email need one); null for an unknown sender. */
  customer: { email: string | null } | null;
  /** Whether the garage has an SMS sender (Twilio number or Messaging Service), a WhatsApp number, an email sender. */
  configured: { sms: boolean; whatsapp: boolean; email: boolean };
};

/**
 * The channels a reply may use, in REPLY_CHANNEL_FALLBACK order: SMS and
 * WhatsApp need a phone and the garage's sender; the portal needs a
 * matched customer; email needs the customer's address and the garage's
 * sender. Consent, opt-outs and the WhatsApp window are judged when sending
 * (src/sending/compose-message.ts), not here.
 */
export function availableReplyChannels(reach: ReplyReach): OutboundChannel[] {
  const available: OutboundChannel[] = [];
  if (reach.phone && reach.configured.whatsapp) available.push('whatsapp');
  if (reach.phone && reach.configured.sms) available.push('sms');
  if (reach.customer) available.push('portal');
  if (reach.customer?.email && reach.configured.email) available.push('email');
  return available;
}
