/**
 * Twilio webhook parameters as Twilio sends them (provider-protocols.md §1
 * inbound SMS/MMS, §3 status callbacks): every value a string, geo fields
 * present even when empty, legacy `SmsSid`/`SmsMessageSid` duplicates.
 */

/** The Twilio account the demo garage's number belongs to (fixed, fake). */
export const DEMO_ACCOUNT_SID = 'AC' + '7d'.repeat(16);

export type TwilioMedia = { url: string; contentType: string };

/** Parameters of an inbound SMS (no media) or MMS webhook. */
export function twilioInboundParams(o: {
  sid: string;
  from: string;
  to: string;
  body: string;
  media: TwilioMedia[];
  messagingServiceSid: string | null;
  segments: number;
}): Record<string, string> {
  const params: Record<string, string> = {
    ToCountry: 'GB',
    ToState: '',
    SmsMessageSid: o.sid,
    NumMedia: String(o.media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: o.sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: o.body,
    FromCountry: 'GB',
    To: o.to,
    ...(o.messagingServiceSid ? { MessagingServiceSid: o.messagingServiceSid } : {}),
    ToZip: '',
    NumSegments: String(o.segments),
    MessageSid: o.sid,
    AccountSid: DEMO_ACCOUNT_SID,
    From: o.from,
    ApiVersion: '2010-04-01',
  };
  o.media.forEach((m, i) => {
    params[`MediaContentType${i}`] = m.contentType;
    params[`MediaUrl${i}`] = m.url;
  });
  return params;
}

/** Twilio's URL for one media item of a message. */
export function twilioMediaUrl(messageSid: string, mediaSid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${DEMO_ACCOUNT_SID}/Messages/${messageSid}/Media/${mediaSid}`;
}

/**
 * Parameters of a message status callback.
 * @param from the number that sent the outbound message (the garage's, or a Messaging Service pool number)
 * @param rawDlrDoneDate carrier receipt time `YYMMDDhhmm`, given on delivered/undelivered
 */
export function twilioStatusParams(o: {
  sid: string;
  status: string;
  from: string;
  to: string;
  messagingServiceSid: string | null;
  errorCode: string | null;
  rawDlrDoneDate: string | null;
}): Record<string, string> {
  return {
    ...(o.errorCode ? { ErrorCode: o.errorCode } : {}),
    SmsSid: o.sid,
    SmsStatus: o.status,
    MessageStatus: o.status,
    To: o.to,
    ...(o.messagingServiceSid ? { MessagingServiceSid: o.messagingServiceSid } : {}),
    MessageSid: o.sid,
    AccountSid: DEMO_ACCOUNT_SID,
    From: o.from,
    ApiVersion: '2010-04-01',
    ...(o.rawDlrDoneDate ? { RawDlrDoneDate: o.rawDlrDoneDate } : {}),
  };
}

/** `RawDlrDoneDate` for a moment: `YYMMDDhhmm` in UTC (Twilio gives no zone). */
export function rawDlrDoneDate(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(at.getUTCFullYear() % 100)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}`;
}
