/**
 * The service's own email (password resets), sent with nodemailer over
 * SMTP_URL. Without SMTP_URL (the embedded demo) the message is written to
 * the log instead, so a local user can still follow the link.
 */
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void> };

export function createMailer(config: Config, log: FastifyBaseLogger): Mailer {
  if (!config.SMTP_URL) {
    return { send: async (mail) => { log.warn({ to: mail.to, subject: mail.subject, text: mail.text }, 'SMTP_URL is not set: email written to the log instead of sent'); } };
  }
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return { send: async (mail) => { await transport.sendMail({ from: config.MAIL_FROM, ...mail }); } };
}
