/**
 * What the benchmark driver (`bench/ingest.ts`) and the server children
 * (`bench/support/server.ts`, one per instance) share: the provider-facing
 * settings both sides must agree on, the paths, and the IPC messages
 * between the driver and each child.
 */

/** The URL providers believe the server lives at; Twilio signs PUBLIC_BASE_URL + path. */
export const PUBLIC_BASE_URL = 'https://example.com';
export const WHATSAPP_APP_SECRET = 'bench-whatsapp-app-secret';
export const WHATSAPP_VERIFY_TOKEN = 'bench-verify-token';

export const TWILIO_SMS_PATH = '/twilio/sms';
export const WHATSAPP_PATH = '/whatsapp/webhook';
/** Bench-only route registered by the server child, never by `src/`. */
export const FLOOR_PATH = '/bench/floor';

export type Engine = 'postgres' | 'pglite';

/** A customer the server child creates before it starts listening. */
export type PlannedCustomer = { name: string; phone: string; activeWorkOrders: number };

/** Everything the server child needs, passed in the BENCH_SERVER_PLAN environment variable. */
export type ServerPlan = {
  engine: Engine;
  /** The per-run PostgreSQL database; null for in-memory PGlite. */
  databaseUrl: string | null;
  poolMax: number;
  logLevel: string;
  /**
   * True for the first (or only) instance: it creates the organisation, its customers and `bench_floor`.
   * Further instances on the same PostgreSQL database are started once the first is ready and create nothing.
   */
  fixtures: boolean;
  org: { twilioNumber: string; twilioAuthToken: string; whatsappPhoneNumberId: string };
  customers: PlannedCustomer[];
};

export type ToServer = { type: 'verify' } | { type: 'close' };

export type Verification = {
  /** `count(*)` over the whole messages table. */
  messageRows: number;
  /** `provider:provider_message_id` of every stored message. */
  messageKeys: string[];
  floorRows: number;
  floorDistinctRefs: number;
};

export type FromServer =
  | { type: 'ready'; port: number; pid: number; nodeVersion: string; engine: Engine; poolMax: number }
  | ({ type: 'verified' } & Verification)
  | { type: 'failed'; message: string };
