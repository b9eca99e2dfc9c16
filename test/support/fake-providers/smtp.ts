/**
 * A fake SMTP server for tests, built on the `smtp-server` package: plain
 * SMTP on 127.0.0.1 (no STARTTLS), AUTH PLAIN/LOGIN accepted for any
 * username and password (AUTH optional). Each connection consumes one
 * script step (nodemailer without a pool opens one connection per message).
 *
 * @example
 * const smtp = await startFakeSmtp();
 * smtp.respondWith({ kind: 'reject_recipient', code: 550, message: 'No such user' });
 * // … adapter smtpUrl = smtp.smtpUrl …
 * await smtp.close();
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { parseMail } from './mime-text.js';

/** One message whose DATA the server read in full (accepted or rejected at end of DATA). */
export type SmtpRecordedMessage = {
  /** Credentials the client authenticated with; null without AUTH. */
  auth: { username: string; password: string } | null;
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  /** The message as sent, headers and body. */
  raw: string;
  /** Header names lower-cased, RFC 2047 words decoded. */
  headers: Record<string, string>;
  subject: string | null;
  /** Decoded body of a single-part text message. */
  text: string;
};

export type SmtpScript =
  /** Accept the message, after `delayMs` at end of DATA (default 0). */
  | { kind: 'accept'; delayMs?: number }
  /** Refuse AUTH with 535 "Authentication credentials invalid" (only if the client authenticates). */
  | { kind: 'reject_auth' }
  /** Refuse RCPT TO with `code` (default 550). */
  | { kind: 'reject_recipient'; code?: number; message?: string }
  /** Read the whole DATA, then refuse it with `code` (e.g. 451 temporary, 554 rejected). */
  | { kind: 'reject_message'; code: number; message: string }
  /** Read the DATA and never answer, until `close()`. */
  | { kind: 'hang' }
  /** Close the TCP connection, without a reply, when the client sends MAIL FROM. */
  | { kind: 'drop' };

export type SmtpResponder = (session: { remotePort: number }) => SmtpScript;

export type FakeSmtp = {
  /** `smtp://fake-user:fake-pass@127.0.0.1:<port>`; give it to the adapter as `smtpUrl`. */
  smtpUrl: string;
  /** Host and port only, for building other URLs. */
  host: string;
  port: number;
  /** Messages received (DATA complete), oldest first. */
  requests: SmtpRecordedMessage[];
  /**
   * Script the next connections: a step or array is appended to a FIFO
   * queue, one step per connection; a function replaces the fallback used
   * when the queue is empty (initially: accept).
   */
  respondWith(next: SmtpScript | SmtpScript[] | SmtpResponder): void;
  /** Stop listening and destroy open connections. */
  close(): Promise<void>;
};

/**
 * Start the fake on 127.0.0.1 (random port).
 * @returns the running fake; call `close()` when done
 */
export async function startFakeSmtp(): Promise<FakeSmtp> {
  const requests: SmtpRecordedMessage[] = [];
  const queue: SmtpScript[] = [];
  let fallback: SmtpResponder = () => ({ kind: 'accept' });
  const scripts = new Map<string, SmtpScript>();
  const auths = new Map<string, { username: string; password: string }>();

  const scriptOf = (session: SMTPServerSession): SmtpScript => scripts.get(session.id) ?? { kind: 'accept' };

  const server: SMTPServer = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    closeTimeout: 100,
    onConnect(session, callback) {
      scripts.set(session.id, queue.shift() ?? fallback({ remotePort: session.remotePort }));
      callback();
    },
    onAuth(auth, session, callback) {
      if (scriptOf(session).kind === 'reject_auth') return callback(smtpReply(535, 'Authentication credentials invalid'));
      auths.set(session.id, { username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, session, callback) {
      if (scriptOf(session).kind === 'drop') {
        for (const connection of server.connections) if (connection.session.id === session.id) connection._socket.destroy();
        return;
      }
      callback();
    },
    onRcptTo(_address, session, callback) {
      const script = scriptOf(session);
      if (script.kind === 'reject_recipient') return callback(smtpReply(script.code ?? 550, script.message ?? 'Mailbox unavailable'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMail(raw);
        const mailFrom = session.envelope.mailFrom;
        requests.push({
          auth: auths.get(session.id) ?? null,
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers: parsed.headers,
          subject: parsed.headers.subject ?? null,
          text: parsed.text,
        });
        const script = scriptOf(session);
        if (script.kind === 'hang') return;
        if (script.kind === 'reject_message') return callback(smtpReply(script.code, script.message));
        const delayMs = script.kind === 'accept' ? (script.delayMs ?? 0) : 0;
        setTimeout(() => callback(), delayMs).unref();
      });
    },
    onClose(session) {
      scripts.delete(session.id);
      auths.delete(session.id);
    },
  });
  server.on('error', () => {
    // dropped/destroyed client sockets surface here; the test sees the client side
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;

  return {
    smtpUrl: `smtp://fake-user:fake-pass@127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    requests,
    respondWith(next) {
      if (typeof next === 'function') fallback = next;
      else if (Array.isArray(next)) queue.push(...next);
      else queue.push(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of server.connections) connection._socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function smtpReply(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
