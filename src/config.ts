/**
 * The one place that reads `process.env`. Every setting is typed, described,
 * defaulted where a safe default exists, and validated once at boot.
 *
 * Secrets with a default (`WHATSAPP_APP_SECRET`, `WHATSAPP_VERIFY_TOKEN`,
 * `DEMO_TWILIO_AUTH_TOKEN`) default to demo values so that the embedded demo
 * starts with no setup; `usesDemoSecrets` tells the server to warn about them.
 */
import { z } from 'zod';

const DEMO_WHATSAPP_APP_SECRET = 'demo-whatsapp-app-secret';
const DEMO_WHATSAPP_VERIFY_TOKEN = 'demo-verify-token';
const DEMO_TWILIO_AUTH_TOKEN = 'demo-twilio-auth-token';

const schema = z.object({
  /** HTTP port the server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 0.0.0.0 to accept connections from other hosts. */
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL 15+ connection string. Unset: embedded PGlite in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for the embedded database when DATABASE_URL is unset. */
  DATA_DIR: z.string().default('./data'),
  /**
   * Largest number of pooled PostgreSQL connections per server instance. The
   * default suits a small machine (2 cores, PostgreSQL on the same host): a
   * few connections kept busy beat many competing for the cores (ingest
   * benchmark on 2 cores: 6-8 connections gave 5-10% more webhooks/s and a
   * lower p99 than 12 or 20). Raise it when PostgreSQL has cores to spare.
   */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(8),
  /**
   * The URL providers use to reach this server (scheme, host, optional port,
   * no trailing slash). Twilio signs the full URL it requested, so behind a
   * proxy this must be the public URL. Default: http://localhost:{PORT}.
   */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /**
   * Which connecting addresses are proxies whose X-Forwarded-For is believed when
   * working out the client's address (the per-address sign-in limit, consent
   * records): `loopback` (a TLS proxy on this host), a comma-separated list of
   * addresses or CIDR ranges (`loopback,10.0.0.0/8`), or `false` (no proxy).
   * `true` would believe any sender, letting clients forge their address.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .default('loopback')
    .transform((v): string | boolean => (v === 'false' ? false : v === 'true' ? true : v)),
  /** Meta app secret: key of the X-Hub-Signature-256 HMAC on WhatsApp webhooks. */
  WHATSAPP_APP_SECRET: z.string().min(1).default(DEMO_WHATSAPP_APP_SECRET),
  /** Token Meta echoes in the webhook verification handshake (hub.verify_token). */
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).default(DEMO_WHATSAPP_VERIFY_TOKEN),
  /** Twilio auth token given to the demo garage's number when it is seeded. */
  DEMO_TWILIO_AUTH_TOKEN: z.string().min(1).default(DEMO_TWILIO_AUTH_TOKEN),
  /** Seed the demo garage into an empty database on start (true/false). */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Outbound providers: `sandbox` records messages and plays back delivery
   * statuses (the demo needs no provider account); `live` calls Twilio, Meta
   * and SMTP at the base URLs below.
   */
  OUTBOUND_PROVIDERS: z.enum(['sandbox', 'live']).default('sandbox'),
  /** Twilio REST API base URL (tests point it at a local server). */
  TWILIO_API_BASE_URL: z.string().url().default('https://api.twilio.com'),
  /** WhatsApp Cloud API / Graph API base URL. */
  WHATSAPP_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  /** Graph API version used in WhatsApp request paths. */
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  /** SMTP server for email, e.g. smtp://user:pass@mail.example.com:587. */
  SMTP_URL: z.string().url().optional(),
  /** Sender address of the service's own emails (password resets). */
  MAIL_FROM: z.string().default('Torqueflow <no-reply@torqueflow.local>'),
  /** Timeout of one provider HTTP call, in milliseconds. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Delivery attempts before a message is marked failed (first try included). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** First retry delay in seconds; later retries back off exponentially with jitter (capped at 300 s). */
  DELIVERY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
  /** Run the delivery worker in this process. */
  RUN_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Days a portal magic link stays valid. */
  PORTAL_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * Hours the real-time event log (`GET /v1/events`) keeps events. A client
   * reconnecting with a Last-Event-ID older than that receives one `resync`
   * event (reload everything) instead of the events it missed.
   */
  EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Omit<z.infer<typeof schema>, 'PUBLIC_BASE_URL'> & {
  PUBLIC_BASE_URL: string;
  /** True when any provider secret still has its demo default. */
  usesDemoSecrets: boolean;
};

/**
 * Parse and validate configuration.
 * @param env the variables to read (defaults to process.env)
 * @throws Error listing every invalid variable, so the operator fixes them in one go
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    PUBLIC_BASE_URL: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    usesDemoSecrets:
      c.WHATSAPP_APP_SECRET === DEMO_WHATSAPP_APP_SECRET ||
      c.WHATSAPP_VERIFY_TOKEN === DEMO_WHATSAPP_VERIFY_TOKEN,
  };
}
