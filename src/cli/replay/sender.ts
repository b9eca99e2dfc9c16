/**
 * Sends a scenario's episodes to a running server as signed provider
 * requests (I/O). Episodes run side by side, at most `concurrency` at a
 * time, in simulated-time order; within an episode each step waits for the
 * previous one, and a step's requests go out at once.
 *
 * Like the providers, a 5xx or a connection failure is retried with
 * backoff (counted as a server error); any other non-2xx is final and
 * reported as a failure.
 */
import { mapWithConcurrency } from './pool.js';
import type { Episode, ProviderRequest } from './scenario.js';
import { signRequest, type ProviderSecrets } from './signing.js';

export type DeliveryOptions = {
  /** Where the server really listens, e.g. http://localhost:3000. */
  baseUrl: string;
  secrets: ProviderSecrets;
  concurrency: number;
  /** Attempts per request, retries after 5xx/connection failures included (default 5). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Called after each finished episode. */
  onProgress?: (episodesDone: number, episodesTotal: number) => void;
};

export type DeliveryReport = {
  /** Requests the scenario sent (each retry by the "provider" counted once more). */
  requests: number;
  /** HTTP attempts, including retries after server errors. */
  attempts: number;
  /** 5xx answers and connection failures that were retried, with a sample of what they said. */
  serverErrors: number;
  serverErrorSamples: string[];
  /** Requests never acknowledged with a 2xx (one line each). */
  failures: string[];
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  elapsedMs: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function emptyReport(): DeliveryReport {
  return { requests: 0, attempts: 0, serverErrors: 0, serverErrorSamples: [], failures: [], statuses: {}, elapsedMs: 0 };
}

async function deliver(req: ProviderRequest, opts: DeliveryOptions, report: DeliveryReport): Promise<void> {
  const signed = signRequest(req, opts.secrets);
  const maxAttempts = opts.maxAttempts ?? 5;
  report.requests++;
  for (let attempt = 1; ; attempt++) {
    report.attempts++;
    let problem: string;
    try {
      const res = await fetch(opts.baseUrl + signed.path, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      const text = await res.text();
      report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
      if (res.ok) return;
      problem = `HTTP ${res.status} ${text.slice(0, 300)}`;
      if (res.status < 500) {
        report.failures.push(`${req.label} → ${problem}`);
        return;
      }
    } catch (err) {
      problem = `connection failed: ${(err as Error).message}`;
    }
    report.serverErrors++;
    if (report.serverErrorSamples.length < 5) report.serverErrorSamples.push(`${req.label} → ${problem}`);
    if (attempt >= maxAttempts) {
      report.failures.push(`${req.label} → ${problem} (gave up after ${attempt} attempts)`);
      return;
    }
    await sleep(100 * 2 ** (attempt - 1));
  }
}

async function runEpisode(episode: Episode, opts: DeliveryOptions, report: DeliveryReport): Promise<void> {
  for (const step of episode.steps) await Promise.all(step.map((req) => deliver(req, opts, report)));
}

/**
 * Send every episode.
 * @returns what was sent and how the server answered; never throws for HTTP failures
 */
export async function deliverEpisodes(episodes: readonly Episode[], opts: DeliveryOptions): Promise<DeliveryReport> {
  const report = emptyReport();
  const started = Date.now();
  let done = 0;
  await mapWithConcurrency(episodes, opts.concurrency, async (episode) => {
    await runEpisode(episode, opts, report);
    opts.onProgress?.(++done, episodes.length);
  });
  report.elapsedMs = Date.now() - started;
  return report;
}

/** Add `extra`'s counts to `into` (a probe episode sent before the rest). */
export function mergeReports(into: DeliveryReport, extra: DeliveryReport): DeliveryReport {
  into.requests += extra.requests;
  into.attempts += extra.attempts;
  into.serverErrors += extra.serverErrors;
  into.serverErrorSamples.push(...extra.serverErrorSamples.slice(0, Math.max(0, 5 - into.serverErrorSamples.length)));
  into.failures.push(...extra.failures);
  for (const [k, v] of Object.entries(extra.statuses)) into.statuses[k] = (into.statuses[k] ?? 0) + v;
  into.elapsedMs += extra.elapsedMs;
  return into;
}
