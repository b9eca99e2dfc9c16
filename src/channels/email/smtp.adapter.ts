/**
 * Email over SMTP with nodemailer (provider `smtp`). A plain-text message
 * from the configured address; one SMTP connection per send (no pool), so
 * the adapter holds no sockets between sends.
 */
import { createTransport } from 'nodemailer';
import type { ChannelAdapter, OutboundRequest, SendResult } from '../contract.js';
import { smtpError } from './smtp-errors.js';

export type SmtpConfig = {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; nodemailer URL syntax. */
  smtpUrl: string;
  /** Sender address, e.g. `Smith's Garage <service@smiths.example>`. */
  from: string;
  /** Milliseconds allowed for each stage: DNS, connect, greeting, and any silence on the socket. */
  timeoutMs: number;
};

/** Subject used when the request has none. */
export const DEFAULT_EMAIL_SUBJECT = 'A message from your garage';

/**
 * Build the SMTP adapter.
 * @returns an adapter whose `send` resolves to `{ providerMessageId: <Message-ID header>, status: 'sent' }`
 *   and rejects with ProviderError (see `smtp-errors.ts`): refused/timeout/4xx `retryable`,
 *   530/535 `bad_credentials`, other 5xx `permanent` with the reply code
 */
export function createSmtpAdapter(config: SmtpConfig): ChannelAdapter {
  return {
    provider: 'smtp',
    async send(request: OutboundRequest): Promise<SendResult> {
      const transport = createTransport({
        url: config.smtpUrl,
        dnsTimeout: config.timeoutMs,
        connectionTimeout: config.timeoutMs,
        greetingTimeout: config.timeoutMs,
        socketTimeout: config.timeoutMs,
      });
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: request.to,
          subject: request.subject ?? DEFAULT_EMAIL_SUBJECT,
          text: request.body,
        });
        return { providerMessageId: info.messageId, status: 'sent' };
      } catch (err) {
        throw smtpError(err);
      } finally {
        transport.close();
      }
    },
  };
}
