/** Typed client for the settings API (`/v1/settings/…`, quick messages, bridge SMS). */
import { del, get, post, put } from '../api/client';
import type { Message, QuickMessage } from '../api/types';

export type CommunicationSettings = {
  consentDefaults: { transactional: true; serviceReminders: boolean; marketing: boolean; whatsapp: boolean };
  reminders: { enabled: boolean; delayHours: number };
  ai: { enabled: boolean; instructions: string; openingHours: string };
  portal: { notificationPhone: string | null; alsoTextReplies: boolean };
};

export type SettingsPatch = {
  consentDefaults?: Omit<CommunicationSettings['consentDefaults'], 'transactional'>;
  reminders?: CommunicationSettings['reminders'];
  ai?: CommunicationSettings['ai'];
  portal?: CommunicationSettings['portal'];
};

export const fetchCommunicationSettings = () => get<CommunicationSettings>('/v1/settings/communication');
export const saveCommunicationSettings = (patch: SettingsPatch) => put<CommunicationSettings>('/v1/settings/communication', patch);

export const createQuickMessage = (q: { title: string; body: string }) => post<QuickMessage>('/v1/quick-messages', q);
export const updateQuickMessage = (id: string, q: { title: string; body: string }) => put<QuickMessage>(`/v1/quick-messages/${id}`, q);
export const deleteQuickMessage = (id: string) => del<null>(`/v1/quick-messages/${id}`);
export const reorderQuickMessages = (ids: string[]) => put<{ quickMessages: QuickMessage[] }>('/v1/quick-messages/order', { ids });

export type BridgeResult = { outcome: 'sent' | 'recently_sent'; bridge: Message | null; lastBridgeSentAt: string | null };
export const sendBridgeSms = (conversationId: string) => post<BridgeResult>(`/v1/conversations/${conversationId}/bridge-sms`, {});

export type TemplateRow = {
  id: string; name: string; language: string; category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION'; body: string; placeholders: string[];
  status: 'pending' | 'approved' | 'rejected' | 'paused'; rejectionReason: string | null; providerTemplateId: string | null; updatedAt: string;
};
export type NewTemplate = { name: string; language: string; category: TemplateRow['category']; body: string; examples: Record<string, string> };
export const fetchTemplates = async () => (await get<{ templates: TemplateRow[] }>('/v1/templates')).templates;
export const createTemplate = (t: NewTemplate) => post<TemplateRow>('/v1/templates', t);
export const syncTemplates = () => post<{ changed: number }>('/v1/templates/sync', {});

export type SpendRow = { month: string; channel: string; kind: 'bridge' | 'template' | 'message'; currency: string; amount: string; messages: number };
export const fetchSpend = (from: string, to: string) => get<{ timeZone: string; rows: SpendRow[] }>(`/v1/spend/breakdown?from=${from}&to=${to}`);
export const spendCsvUrl = (from: string, to: string) => `/v1/spend.csv?from=${from}&to=${to}`;

export type MaskedSecret = { set: true; last4: string };
export type ChannelsView = {
  webhooks: { twilioSms: string; twilioStatus: string; twilioVoice: string; whatsapp: string; whatsappVerifyToken: string };
  twilio: { accountSid: string; authToken: MaskedSecret; apiKeySid: string | null; apiKeySecret: MaskedSecret | null; phoneNumber: string | null; messagingServiceSid: string | null } | null;
  whatsapp: { phoneNumberId: string; wabaId: string; displayNumber: string | null; accessToken: MaskedSecret } | null;
  email: { fromAddress: string } | null;
};
/** Secrets left undefined keep the stored value. */
export type TwilioConnect = { accountSid: string; authToken?: string; apiKeySid: string | null; apiKeySecret?: string; phoneNumber: string | null; messagingServiceSid: string | null };
export type TwilioNumber = { phoneNumber: string; friendlyName: string; sms: boolean; voice: boolean };
export const fetchChannels = () => get<ChannelsView>('/v1/settings/channels');
export const checkTwilio = (c: { accountSid: string; authToken?: string }) => post<{ numbers: TwilioNumber[] }>('/v1/settings/channels/twilio/check', c);
export const connectTwilio = (c: TwilioConnect) => put<ChannelsView>('/v1/settings/channels/twilio', c);
export const connectWhatsApp = (c: { phoneNumberId: string; wabaId: string; accessToken?: string }) => put<ChannelsView>('/v1/settings/channels/whatsapp', c);
export const saveEmailSender = (fromAddress: string) => put<ChannelsView>('/v1/settings/channels/email', { fromAddress });

/** Who an incoming call rings (staff phones in E.164, or one SIP address), for how long (5–60 s), the voicemail greeting, the escalation number. */
export type VoiceSettingsView = { ringNumbers: string[]; sipAddress: string | null; ringTimeoutSeconds: number; voicemailGreeting: string; escalationNumber: string | null };
export const fetchVoiceSettings = () => get<VoiceSettingsView>('/v1/voice/settings');
export const saveVoiceSettings = (s: VoiceSettingsView) => put<VoiceSettingsView>('/v1/voice/settings', s);
