/**
 * The channel indicator (messaging-inbox.txt): portal grey speech bubble,
 * WhatsApp green, SMS blue phone, voice purple phone-call.
 */
import type { MessageChannel } from '../api/types';
import { MailIcon, PhoneCallIcon, PhoneIcon, SpeechBubbleIcon, WhatsAppIcon } from '../shell/icons';

export const CHANNEL_NAMES: Record<MessageChannel, string> = {
  portal: 'Portal', whatsapp: 'WhatsApp', sms: 'SMS', voice: 'Voice', email: 'Email', internal: 'Note',
};

export function ChannelIcon({ channel, size = 18, decorative = false }: { channel: MessageChannel | null; size?: number; decorative?: boolean }) {
  const c = channel ?? 'portal';
  const Icon = c === 'whatsapp' ? WhatsAppIcon : c === 'sms' ? PhoneIcon : c === 'voice' ? PhoneCallIcon : c === 'email' ? MailIcon : SpeechBubbleIcon;
  return (
    <span className={`channel-icon channel-${c}`} data-channel={c}>
      <Icon size={size} {...(decorative ? {} : { title: CHANNEL_NAMES[c] })} />
    </span>
  );
}

export function ChannelBadge({ channel }: { channel: MessageChannel | null }) {
  const c = channel ?? 'portal';
  return (
    <span className={`channel-badge channel-${c}`} data-channel={c}>
      <ChannelIcon channel={c} size={14} decorative />
      {CHANNEL_NAMES[c]}
    </span>
  );
}
