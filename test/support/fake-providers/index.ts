/**
 * Fake provider servers for tests (127.0.0.1, random port, real response
 * formats): Twilio Messages API, WhatsApp Cloud API / Graph API, SMTP.
 * Media downloads (Twilio MMS media, WhatsApp media): `startFakeMedia`.
 * Each returns `{ baseUrl | smtpUrl, requests, respondWith, close }`.
 */
export { startFakeTwilio, fakeTwilioSid, type FakeTwilio, type FakeTwilioOptions, type TwilioScript, type TwilioRequestBody } from './twilio.js';
export { startFakeWhatsApp, fakeWamid, type FakeWhatsApp, type FakeWhatsAppOptions, type WhatsAppScript, type WhatsAppRequestBody } from './whatsapp.js';
export { startFakeSmtp, type FakeSmtp, type SmtpScript, type SmtpRecordedMessage, type SmtpResponder } from './smtp.js';
export type { RecordedRequest, CommonScript, FakeHttpProvider, Responder } from './http-fake.js';
export { startFakeMedia, type FakeMedia, type FakeMediaFile } from './media.js';
export { rejectsWithProviderError, closedLoopbackPort, type ExpectedProviderError } from './assertions.js';
