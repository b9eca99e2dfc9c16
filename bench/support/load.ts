/**
 * Closed-loop HTTP load: `concurrency` workers, each sending its next
 * pre-built request as soon as the previous response has been read, over
 * keep-alive connections to 127.0.0.1 (node:http with a keep-alive Agent:
 * the lightest built-in client, so the load generator takes as little CPU
 * from the server as possible on a small machine).
 */
import http from 'node:http';
import type { BenchRequest } from './requests.js';

export type PhaseResult = {
  /** Requests written to the server. */
  sent: number;
  /** Requests answered 2xx. */
  ok: number;
  /** `status body` of every non-2xx answer or transport error → how many times. */
  failures: Map<string, number>;
  elapsedMs: number;
  /** Latency of each answered request, ms, sorted ascending. */
  latencies: Float64Array;
  /** True when the phase stopped at its time limit before sending everything. */
  timedOut: boolean;
  /** The same figures per client (per server instance), in the order of the clients given. */
  perClient: ClientResult[];
};

export type ClientResult = { sent: number; ok: number; latencies: Float64Array };

export type Client = { agent: http.Agent; port: number; close: () => void };

export function createClient(port: number, concurrency: number): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency, scheduling: 'fifo' });
  return { agent, port, close: () => agent.destroy() };
}

const REQUEST_TIMEOUT_MS = 30_000;

function send(client: Client, r: BenchRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent: client.agent,
        host: '127.0.0.1',
        port: client.port,
        method: 'POST',
        path: r.path,
        headers: { ...r.headers, 'content-length': String(r.body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.end(r.body);
  });
}

/**
 * Send every request (or as many as fit in `maxMs`) with `concurrency` in flight.
 * @param clients one per server instance: request i goes to `clients[i % clients.length]` (round-robin)
 */
export async function runPhase(clients: Client | Client[], requests: BenchRequest[], concurrency: number, maxMs: number): Promise<PhaseResult> {
  const targets = Array.isArray(clients) ? clients : [clients];
  const perClient = targets.map(() => ({ sent: 0, ok: 0, latencies: [] as number[] }));
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let ok = 0;
  let next = 0;
  let sent = 0;
  let timedOut = false;
  const started = performance.now();
  const deadline = started + maxMs;

  const worker = async () => {
    while (next < requests.length) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const index = next++;
      const r = requests[index]!;
      const mine = perClient[index % targets.length]!;
      sent++;
      mine.sent++;
      const t0 = performance.now();
      try {
        const res = await send(targets[index % targets.length]!, r);
        const latency = performance.now() - t0;
        latencies.push(latency);
        mine.latencies.push(latency);
        if (res.status >= 200 && res.status < 300) {
          ok++;
          mine.ok++;
        } else {
          const k = `${res.status} ${res.body.slice(0, 300)}`;
          failures.set(k, (failures.get(k) ?? 0) + 1);
        }
      } catch (err) {
        const k = `transport error: ${err instanceof Error ? err.message : String(err)}`;
        failures.set(k, (failures.get(k) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  return {
    sent,
    ok,
    failures,
    elapsedMs,
    latencies: sorted(latencies),
    timedOut,
    perClient: perClient.map((c) => ({ sent: c.sent, ok: c.ok, latencies: sorted(c.latencies) })),
  };
}

/** Nearest-rank percentile of ascending `sorted`, or NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
