/**
 * The one place that reads `process.env`. Every setting is typed, described,
 * defaulted where a safe default exists, and validated once at boot.
 *
 * Secrets with a default (`WHATSAPP_APP_SECRET`, `WHATSAPP_VERIFY_TOKEN`,
 * `DEMO_TWILIO_AUTH_TOKEN`) default to demo values so that the embedded demo
 * starts with no setup. `demoSecretsInForce` names those still at their demo
 * value and `publiclyReachable` says whether anyone but this host can reach
 * the server; together they decide the demo refusal (src/server/demo-refusal.ts).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { StartupError } from './server/startup-error.js';
import { DEFAULT_PRICE_TABLE, priceTableSchema } from './domain/message-prices.js';

const DEMO_WHATSAPP_APP_SECRET = 'demo-whatsapp-app-secret';
const DEMO_WHATSAPP_VERIFY_TOKEN = 'demo-verify-token';
/** The published demo key (its use on a reachable server is refused). */
export const DEMO_CREDENTIALS_ENCRYPTION_KEY = Buffer.from('torqueflow-demo-credentials-key!').toString('base64');

/** A base64 AES-256 key: exactly 32 bytes once decoded. */
const encryptionKey = z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)');
/** The demo garage's Twilio auth token when DEMO_TWILIO_AUTH_TOKEN is unset (checked against stored numbers at start). */
export const DEMO_TWILIO_AUTH_TOKEN = 'demo-twilio-auth-token';
/** The one value of ALLOW_DEMO_ON_PUBLIC_HOST that lets a reachable server start with demo secrets or accounts. */
export const DEMO_ON_PUBLIC_HOST_OVERRIDE = 'i-understand-this-is-insecure';

/**
 * The embedded database's buffer cache. PostgreSQL's default (128MB) lives in
 * the WebAssembly memory of the server's own process, on top of the operating
 * system's cache of the same files; a garage's working set fits in far less
 * (16MB took the server's resident memory from 454 to 368 MB idle and from
 * 669 to 538 MB after a replayed garage day, with no slower replay;
 * docs/scaling.md).
 */
export const PGLITE_SHARED_BUFFERS_DEFAULT = '16MB';

const schema = z.object({
  /** HTTP port the server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 0.0.0.0 to accept connections from other hosts. */
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL 15+ connection string. Unset: embedded PGlite in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for the embedded database when DATABASE_URL is unset. */
  DATA_DIR: z.string().default('./data'),
  /** The embedded database's buffer cache (PostgreSQL's shared_buffers, e.g. 16MB, 64MB), held in the server's own memory; unused with DATABASE_URL. */
  PGLITE_SHARED_BUFFERS: z.string().regex(/^[1-9][0-9]*(kB|MB|GB)$/, 'a size such as 16MB').default(PGLITE_SHARED_BUFFERS_DEFAULT),
  /**
   * Largest number of pooled PostgreSQL connections per server instance. The
   * default suits a small machine (2 cores, PostgreSQL on the same host): a
   * few connections kept busy beat many competing for the cores (ingest
   * benchmark on 2 cores: 6-8 connections gave 5-10% more webhooks/s and a
   * lower p99 than 12 or 20). Raise it when PostgreSQL has cores to spare.
   */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(8),
  /** Prepare the statements a server repeats (src/db/prepared-statements.ts); false behind a PgBouncer in transaction mode older than 1.21. */
  DB_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
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
  /**
   * Key sealing provider credentials (Twilio auth tokens and API key secrets,
   * WhatsApp access tokens) in the database with AES-256-GCM: 32 random bytes
   * in base64. Rotation: set the new key here and the old one in
   * CREDENTIALS_ENCRYPTION_KEY_PREVIOUS, restart every instance (start-up
   * re-seals all stored values), then remove the previous key.
   */
  CREDENTIALS_ENCRYPTION_KEY: encryptionKey.default(DEMO_CREDENTIALS_ENCRYPTION_KEY),
  /** The key being rotated out: still accepted for reading. */
  CREDENTIALS_ENCRYPTION_KEY_PREVIOUS: encryptionKey.optional(),
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
  /** Twilio's Messaging API (Messaging Services), a different host from the REST API; tests point it at a local fake. */
  TWILIO_MESSAGING_API_BASE_URL: z.string().url().default('https://messaging.twilio.com'),
  /**
   * Speech to text for voicemails Twilio does not transcribe (over 120 s):
   * `off` (default) or `openai`, an OpenAI-compatible `POST {STT_BASE_URL}/audio/transcriptions`
   * (OpenAI, or a local Whisper server).
   */
  STT_PROVIDER: z.enum(['off', 'openai']).default('off'),
  /** Base URL of the speech-to-text API, including `/v1` (e.g. `http://127.0.0.1:8000/v1`). */
  STT_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  /** Speech-to-text model name. */
  STT_MODEL: z.string().min(1).default('whisper-1'),
  /** Speech-to-text API key (local servers ignore it). */
  STT_API_KEY: z.string().default('unused'),
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
  /**
   * Base URL of the portal's short magic links as printed in texts
   * (`{base}/l/{code}`, e.g. https://tflow.link): a short host of your own that
   * forwards `/l/*` to this server. Default: PUBLIC_BASE_URL.
   */
  PORTAL_LINK_BASE_URL: z.string().url().optional(),
  /** Days a portal magic link stays valid. */
  PORTAL_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * Hours the real-time event log (`GET /v1/events`) keeps events. A client
   * reconnecting with a Last-Event-ID older than that receives one `resync`
   * event (reload everything) instead of the events it missed.
   */
  EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /**
   * Where media (photos, call recordings) is stored: `local` (a folder,
   * MEDIA_DIR; one instance only) or `s3` (S3-compatible object storage;
   * required when several instances share the database).
   */
  MEDIA_STORE: z.enum(['local', 's3']).default('local'),
  /** Folder of the local media store. Default: {DATA_DIR}/media. */
  MEDIA_DIR: z.string().optional(),
  /** S3 endpoint URL for MinIO, R2 and other S3-compatible stores; unset for AWS. */
  S3_ENDPOINT: z.string().url().optional(),
  /** Bucket of the S3 media store (must exist). */
  S3_BUCKET: z.string().min(1).optional(),
  /** Region of the S3 bucket (R2: `auto`). */
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** S3 access key id; unset: the AWS SDK's default credential chain. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** S3 secret access key. */
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style bucket URLs (MinIO needs `true`). */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Key of the HMAC on signed media URLs (providers fetching outbound MMS
   * media). Unset: a random key per process, so signed URLs only work on the
   * instance that made them — set it when running several instances.
   */
  MEDIA_URL_SECRET: z.string().min(16).optional(),
  /** Lifetime of a signed media URL, in seconds. */
  MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /**
   * Start a server reachable from other hosts even though demo secrets or the
   * demo garage's published password are in force. Only the exact value
   * `i-understand-this-is-insecure` is accepted.
   */
  ALLOW_DEMO_ON_PUBLIC_HOST: z
    .literal(DEMO_ON_PUBLIC_HOST_OVERRIDE, { error: `must be exactly "${DEMO_ON_PUBLIC_HOST_OVERRIDE}" (or unset)` })
    .optional()
    .transform((v) => v !== undefined),
  /**
   * Most milliseconds a client may take to send a whole request, headers and
   * body (a slow body is answered 408 and dropped). Streams the server sends
   * (GET /v1/events) are not affected: the request is complete once sent.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Milliseconds a connection may stay silent (nothing read or written) before
   * it is closed. Above the 15 s keep-alive comment of GET /v1/events.
   */
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(20_000).max(3_600_000).default(120_000),
  /** Milliseconds an idle keep-alive connection is kept open; above a proxy's upstream keep-alive (nginx: 60 s). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(72_000),
  /** Largest request body parsed, in bytes (webhooks and API JSON); larger answers 413. */
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(100 * 1024 * 1024).default(1024 * 1024),
  /**
   * Bearer token that GET /metrics requires. Unset: /metrics answers loopback
   * clients only (a Prometheus on the same host).
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Bearer token of the operator API (`POST /operator/organisations`: create a
   * garage with its owner). At least 32 characters. Unset: the operator API
   * answers 404 and garages are created with `npm run org -- create`.
   */
  OPERATOR_TOKEN: z.string().min(32).optional(),
  /** AI receptionist model driver: `sandbox` (deterministic local responder) or `openai-compatible` (OpenAI, Ollama, vLLM, llama.cpp server). */
  AI_PROVIDER: z.enum(['sandbox', 'openai-compatible']).default('sandbox'),
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 for Ollama. */
  AI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  /** Model name the server knows, e.g. gpt-4o-mini or llama3.1:8b. */
  AI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** API key (secret); local servers accept any value. */
  AI_API_KEY: z.string().default(''),
  /** Timeout of one model request, in milliseconds. */
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  /** Retries of one model request after a timeout, connection error, 429 or 5xx (the SDK honours Retry-After). */
  AI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Quiet time after a customer's latest message before the AI answers, so a burst gets one reply. */
  AI_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Token budget of the conversation history in the prompt (oldest messages dropped first). */
  AI_CONTEXT_TOKENS: z.coerce.number().int().min(200).max(200_000).default(3_000),
  /** Credits one thousand tokens (prompt + completion) cost. */
  AI_CREDITS_PER_1K_TOKENS: z.coerce.number().min(0).max(1_000_000).default(1),
  /** Credits granted to each organisation every calendar month (unused credits carry over). */
  AI_MONTHLY_CREDITS: z.coerce.number().min(0).max(100_000_000).default(500),
  /** Seed the demo garage with its AI receptionist switched on. */
  DEMO_AI_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /**
   * Price table for costs no provider reports (sandbox sends; WhatsApp, whose
   * callbacks give the pricing category but no amount), as JSON:
   * {"currency":"GBP","smsPerSegment":"0.0400","whatsapp":{"marketing":"0.0529","utility":"0.0220","authentication":"0.0358","service":"0"}}.
   */
  MESSAGE_PRICES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return DEFAULT_PRICE_TABLE;
      try {
        const parsed = priceTableSchema.safeParse(JSON.parse(v));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      }
      return z.NEVER;
    }),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Omit<z.infer<typeof schema>, 'PUBLIC_BASE_URL' | 'PORTAL_LINK_BASE_URL' | 'MEDIA_DIR'> & {
  PUBLIC_BASE_URL: string;
  PORTAL_LINK_BASE_URL: string;
  MEDIA_DIR: string;
  /** The provider secrets still at their published demo value (WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN). */
  demoSecretsInForce: string[];
  /** True unless both HOST and PUBLIC_BASE_URL are loopback: someone else can reach this server. */
  publiclyReachable: boolean;
};

/** Loopback host names and addresses (127.0.0.0/8, ::1, localhost and *.localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Parse and validate configuration.
 * @param env the variables to read (defaults to process.env)
 * @throws StartupError listing every invalid variable, so the operator fixes them in one go
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new StartupError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.MEDIA_STORE === 's3' && !c.S3_BUCKET) throw new StartupError('Invalid configuration:\n  S3_BUCKET: required when MEDIA_STORE=s3');
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return {
    ...c,
    PUBLIC_BASE_URL: publicBaseUrl,
    PORTAL_LINK_BASE_URL: (c.PORTAL_LINK_BASE_URL ?? publicBaseUrl).replace(/\/+$/, ''),
    MEDIA_DIR: c.MEDIA_DIR ?? join(c.DATA_DIR, 'media'),
    demoSecretsInForce: [
      ...(c.WHATSAPP_APP_SECRET === DEMO_WHATSAPP_APP_SECRET ? ['WHATSAPP_APP_SECRET'] : []),
      ...(c.WHATSAPP_VERIFY_TOKEN === DEMO_WHATSAPP_VERIFY_TOKEN ? ['WHATSAPP_VERIFY_TOKEN'] : []),
      ...(c.CREDENTIALS_ENCRYPTION_KEY === DEMO_CREDENTIALS_ENCRYPTION_KEY ? ['CREDENTIALS_ENCRYPTION_KEY'] : []),
    ],
    publiclyReachable: !isLoopbackHost(c.HOST) || !isLoopbackHost(new URL(publicBaseUrl).hostname),
  };
}
