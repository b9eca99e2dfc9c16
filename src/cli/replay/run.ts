/**
 * One replay, start to finish: snapshot the API, generate the day from the
 * outbound messages it shows, send it as signed provider requests, snapshot
 * again, and check the difference; then a day of calls (voice-day.ts) and
 * the portal customer's messages with photos (portal-day.ts).
 */
import { DEMO_MESSAGING_SERVICE_SID, DEMO_NUMBER, DEMO_WHATSAPP_PHONE_NUMBER_ID } from '../../seed/demo-data.js';
import { ApiReadError, readSnapshot } from './api-reader.js';
import { computeExpectations, type Expectations } from './expectations.js';
import { generateScenario, type GarageAddresses, type Scenario } from './scenario.js';
import { deliverEpisodes, mergeReports } from './sender.js';
import type { ProviderSecrets } from './signing.js';
import { outboundRefs, type Snapshot } from './snapshot.js';
import { summarise, type ReplaySummary } from './summary.js';
import { deliveryCheck, serverErrorCheck, verifyReplay, type Check } from './verify.js';
import { replayCalls } from './voice-day.js';
import { replayPortal } from './portal-day.js';
import type { DemoPortalLink } from '../../seed/demo-portal-link.js';

/** The demo garage's addresses (src/seed/demo-data.ts); `poolNumber` is a Messaging Service sender no organisation registered. */
export const DEMO_GARAGE: GarageAddresses = {
  number: DEMO_NUMBER,
  messagingServiceSid: DEMO_MESSAGING_SERVICE_SID,
  whatsappPhoneNumberId: DEMO_WHATSAPP_PHONE_NUMBER_ID,
  poolNumber: '+447700900199',
};

export type ReplayOptions = {
  /** Where the server listens, e.g. http://localhost:3000. */
  baseUrl: string;
  apiToken: string;
  secrets: ProviderSecrets;
  /** Shapes the day; the same seed gives the same day. */
  seed: string;
  /** Salts provider ids: a new run id gives new messages. */
  runId: string;
  /** Lower bound on distinct inbound messages. */
  targetMessages: number;
  /** Requests in flight at once. */
  concurrency: number;
  garage?: GarageAddresses;
  /** The replay's clock (default: now). */
  now?: Date;
  /** Count a 5xx answer (retried like a provider would) as a failed check, not just a warning. */
  strict?: boolean;
  /**
   * The magic link of the replay's portal customer (DATA_DIR/demo-portal-link,
   * src/seed/demo-portal-link.ts); null skips the portal part.
   */
  portalLink: DemoPortalLink | null;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
};

export type ReplayResult = {
  ok: boolean;
  checks: Check[];
  summary: ReplaySummary;
  /** What the first few 5xx answers or connection failures said (they were retried). */
  serverErrorSamples: string[];
  /** The material the checks ran on, for re-checking or inspection. */
  scenario: Scenario;
  expectations: Expectations;
  before: Snapshot;
  after: Snapshot;
};

/** A problem that stops the replay before it can check anything (unreachable server, wrong token or secrets). */
export class ReplayAbort extends Error {}

async function ensureReachable(baseUrl: string): Promise<void> {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    if (res.ok) return;
    throw new ReplayAbort(`${baseUrl}/health answered ${res.status}: is that a Torqueflow Messaging server?`);
  } catch (err) {
    if (err instanceof ReplayAbort) throw err;
    throw new ReplayAbort(`Cannot reach ${baseUrl} (${(err as Error).message}). Start the server first (npm start) or pass --url.`);
  }
}

async function snapshot(o: ReplayOptions) {
  try {
    return await readSnapshot({ baseUrl: o.baseUrl, apiToken: o.apiToken, concurrency: o.concurrency });
  } catch (err) {
    if (err instanceof ApiReadError && err.status === 401) {
      throw new ReplayAbort('The API token was rejected (401). Pass --token, set TORQUEFLOW_API_TOKEN, or point DATA_DIR at the folder holding demo-api-token.');
    }
    throw err;
  }
}

function hintFor(failure: string): string {
  if (failure.includes('HTTP 403')) {
    return 'The server rejected the provider signature: the replay signs with DEMO_TWILIO_AUTH_TOKEN, WHATSAPP_APP_SECRET and PUBLIC_BASE_URL from its environment; they must match the server\'s.';
  }
  if (failure.includes('HTTP 404')) return 'The server does not know the demo garage\'s number: was it seeded (SEED_DEMO=true on an empty database)?';
  return 'The first request was not accepted.';
}

/**
 * Replay a garage day against a running server and check the result.
 * @throws ReplayAbort when nothing could be checked (server unreachable, token or signatures rejected)
 */
export async function runReplay(o: ReplayOptions): Promise<ReplayResult> {
  const log = o.log ?? (() => {});
  await ensureReachable(o.baseUrl);
  const before = await snapshot(o);
  log(`before: ${before.conversations.length} conversations (${before.apiRequests} API requests)`);

  const scenario = generateScenario({
    seed: o.seed,
    runId: o.runId,
    now: o.now ?? new Date(),
    targetMessages: o.targetMessages,
    garage: o.garage ?? DEMO_GARAGE,
    outbound: outboundRefs(before),
  });
  const [first, ...rest] = scenario.episodes;
  if (!first) throw new ReplayAbort('The scenario is empty.');
  const deliveryOptions = {
    baseUrl: o.baseUrl,
    secrets: o.secrets,
    concurrency: o.concurrency,
    onProgress: (done: number, total: number) => {
      if (done % 200 === 0 || done === total) log(`sent ${done + 1}/${total + 1} episodes`);
    },
  };
  // One episode first: wrong secrets or an unseeded server fail fast, with a hint.
  const probe = await deliverEpisodes([first], { ...deliveryOptions, onProgress: () => {} });
  if (probe.failures.length > 0) throw new ReplayAbort(`${hintFor(probe.failures[0]!)}\n  ${probe.failures[0]}`);
  const delivery = mergeReports(probe, await deliverEpisodes(rest, deliveryOptions));

  const after = await snapshot(o);
  log(`after: ${after.conversations.length} conversations (${after.apiRequests} API requests)`);
  const expectations = computeExpectations(before, scenario);
  const checks = [
    deliveryCheck(delivery.requests, delivery.failures),
    ...(o.strict ? [serverErrorCheck(delivery.attempts, delivery.serverErrors, delivery.serverErrorSamples)] : []),
    ...verifyReplay(expectations, after),
  ];
  // Then a day of calls (after the message snapshot, so the message checks see only messages).
  const calls = await replayCalls({ baseUrl: o.baseUrl, apiToken: o.apiToken, secrets: o.secrets, seed: o.seed, runId: o.runId, garageNumber: (o.garage ?? DEMO_GARAGE).number, concurrency: o.concurrency, log });
  checks.push(...calls.checks);
  // Then the portal: the demo customer signs in by their magic link and writes, with photos.
  if (o.portalLink) checks.push(...await replayPortal({ baseUrl: o.baseUrl, apiToken: o.apiToken, link: o.portalLink, runId: o.runId, log }));
  const summary = summarise({ target: o.baseUrl, scenario, delivery, expectations, before, after, checks });
  return { ok: checks.every((c) => c.passed), checks, summary, serverErrorSamples: delivery.serverErrorSamples, scenario, expectations, before, after };
}
