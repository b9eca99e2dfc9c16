/**
 * The service's own email (password resets), sent with nodemailer over
 * SMTP_URL. Without SMTP_URL on a loopback-only server (the embedded demo)
 * the message is written to the log instead, so a local user can still
 * follow the link. On a server reachable from other hosts it is never
 * logged (it carries a reset link, issue 10 item 7): the log says only that
 * an email could not be sent.
 */
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../server/errors.js';

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void> };

export function createMailer(config: Config, log: FastifyBaseLogger): Mailer {
  if (!config.SMTP_URL && !config.publiclyReachable) {
    return { send: async (mail) => { log.warn({ to: mail.to, subject: mail.subject, text: mail.text }, 'SMTP_URL is not set: email written to the log instead of sent (loopback demo only)'); } };
  }
  if (!config.SMTP_URL) {
    return { send: async (mail) => { log.error({ subject: mail.subject }, 'SMTP_URL is not set: an email was not sent (set SMTP_URL)'); } };
  }
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return { send: async (mail) => { await transport.sendMail({ from: config.MAIL_FROM, ...mail }); } };
}

/**
 * Check the server's mail server before a garage's email sender is saved
 * (issue 13 item 0: each channel verified before it is saved): nodemailer's
 * `verify()` connects to SMTP_URL and logs in. Without SMTP_URL there is
 * nothing to check (the loopback demo writes email to the log).
 * @throws AppError provider_unreachable (502) when the mail server refuses the connection or the login
 */
export async function verifyMailServer(config: Pick<Config, 'SMTP_URL' | 'PROVIDER_TIMEOUT_MS'>): Promise<void> {
  if (!config.SMTP_URL) return;
  const timeout = config.PROVIDER_TIMEOUT_MS;
  const transport = nodemailer.createTransport({ url: config.SMTP_URL, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  try {
    await transport.verify();
  } catch (err) {
    throw new AppError('provider_unreachable', `The mail server (SMTP_URL) did not accept a connection and login (${(err as Error).message}). Nothing was saved; check SMTP_URL and try again.`);
  } finally {
    transport.close();
  }
}
