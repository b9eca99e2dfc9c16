/** A message's channel as a small icon and label ("SMS", "WhatsApp", "Portal", "Call", "Email"). */
import { MailIcon, PhoneCallIcon, PhoneIcon, SpeechBubbleIcon, WhatsAppIcon } from '../shell/icons';

export function ChannelTag({ channel, label }: { channel: string; label: string }) {
  const Icon = channel === 'whatsapp' ? WhatsAppIcon : channel === 'sms' ? PhoneIcon : channel === 'voice' ? PhoneCallIcon : channel === 'email' ? MailIcon : SpeechBubbleIcon;
  return <span className={`channel-tag channel-${channel}`} data-channel={channel}><Icon size={12} />{label}</span>;
}
