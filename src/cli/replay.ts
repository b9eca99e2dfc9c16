/**
 * `npm run replay`: replays a realistic garage day into a RUNNING server as
 * signed Twilio and WhatsApp webhooks, then checks through the read API
 * that everything landed exactly once, in the right place, with the right
 * delivery statuses. Exits 0 when every check passes, 1 when one fails, 2
 * when it cannot run (server unreachable, token or signatures rejected).
 *
 *   npm run replay -- [--url http://localhost:3000] [--token tf_…] [--seed S]
 *                     [--run-id ID] [--messages 540] [--concurrency 8] [--public-url URL] [--json]
 *
 * The API token comes from --token, TORQUEFLOW_API_TOKEN, or the file the
 * demo seed writes (DATA_DIR/demo-api-token). The portal part signs in as the
 * replay's demo customer with the magic link the demo server issues them at
 * every start (DATA_DIR/demo-portal-link; src/seed/demo-portal-link.ts says
 * why staff never get a customer's session for it). Provider secrets come from
 * the same configuration the server reads (src/config.ts):
 * DEMO_TWILIO_AUTH_TOKEN, WHATSAPP_APP_SECRET, and PUBLIC_BASE_URL, which
 * Twilio signatures cover.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { demoTokenFile } from '../seed/demo.js';
import { demoPortalLinkFile, type DemoPortalLink } from '../seed/demo-portal-link.js';
import { ReplayAbort, runReplay } from './replay/run.js';
import { formatSummary } from './replay/summary.js';

const USAGE = `Usage: npm run replay -- [options]
  --url URL           server to replay into (default http://localhost:$PORT)
  --token TOKEN       API token (default $TORQUEFLOW_API_TOKEN, then $DATA_DIR/demo-api-token)
  --public-url URL    URL Twilio signatures cover (default PUBLIC_BASE_URL, as the server computes it)
  --seed SEED         shapes the day; equal seeds give equal days (default garage-day)
  --run-id ID         salts provider ids; reuse one to re-send a day (default random)
  --messages N        at least N distinct inbound messages (default 540)
  --concurrency N     requests in flight at once (default 8)
  --portal-link FILE  the portal customer's magic link (default $DATA_DIR/demo-portal-link, written by the demo server at start)
  --no-portal         skip the portal part (for a server whose DATA_DIR this machine cannot read)
  --strict            a 5xx answer (retried, as providers do) fails the replay instead of warning
  --json              print the summary and checks as JSON
  --quiet             no progress lines`;

type Output = { out: (text: string) => void; err: (text: string) => void };

function positiveInt(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ReplayAbort(`${name} must be a positive whole number, got "${raw}".`);
  return n;
}

function resolveToken(flag: string | undefined, env: Record<string, string | undefined>, tokenFile: string): string {
  const token = flag ?? env.TORQUEFLOW_API_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (!token) {
    throw new ReplayAbort(`No API token: pass --token, set TORQUEFLOW_API_TOKEN, or start the demo server with the same DATA_DIR (it writes ${tokenFile}).`);
  }
  return token;
}

/**
 * The portal customer's link, as the demo server wrote it.
 * @throws ReplayAbort when the file is missing or not one the server wrote
 */
export function readPortalLink(file: string): DemoPortalLink {
  if (!existsSync(file)) {
    throw new ReplayAbort(`No portal link at ${file}: the demo server (SEED_DEMO=true) writes one at every start into its DATA_DIR. Use the same DATA_DIR, pass --portal-link FILE, or --no-portal.`);
  }
  try {
    const link = JSON.parse(readFileSync(file, 'utf8')) as DemoPortalLink;
    if (typeof link.code === 'string' && typeof link.conversationId === 'string' && typeof link.customerName === 'string') return link;
  } catch {
    // reported below
  }
  throw new ReplayAbort(`${file} is not a portal link the demo server wrote (JSON with code, conversationId, customerName).`);
}

/**
 * Run the command.
 * @param argv arguments after the script name
 * @param env configuration variables (the server's, plus TORQUEFLOW_API_TOKEN)
 * @returns the exit code
 */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env, io: Output = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
}): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'public-url': { type: 'string' },
        seed: { type: 'string', default: 'garage-day' },
        'run-id': { type: 'string' },
        messages: { type: 'string', default: '540' },
        concurrency: { type: 'string', default: '8' },
        strict: { type: 'boolean', default: false },
        'portal-link': { type: 'string' },
        'no-portal': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const config = loadConfig(env);
    const baseUrl = (values.url ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
    const result = await runReplay({
      baseUrl,
      apiToken: resolveToken(values.token, env, demoTokenFile(config)),
      secrets: {
        twilioAuthToken: config.DEMO_TWILIO_AUTH_TOKEN,
        whatsAppAppSecret: config.WHATSAPP_APP_SECRET,
        publicBaseUrl: (values['public-url'] ?? config.PUBLIC_BASE_URL).replace(/\/+$/, ''),
      },
      seed: values.seed,
      runId: values['run-id'] ?? randomBytes(6).toString('hex'),
      targetMessages: positiveInt(values.messages, '--messages'),
      concurrency: positiveInt(values.concurrency, '--concurrency'),
      strict: values.strict,
      portalLink: values['no-portal'] ? null : readPortalLink(values['portal-link'] ?? demoPortalLinkFile(config)),
      log: values.quiet || values.json ? undefined : (line) => io.err(`  … ${line}`),
    });
    if (values.json) io.out(JSON.stringify({ ok: result.ok, summary: result.summary, checks: result.checks, serverErrorSamples: result.serverErrorSamples }, null, 2));
    else {
      io.out(formatSummary(result.summary, result.checks));
      if (result.serverErrorSamples.length > 0) {
        io.out(`  WARNING: ${result.summary.requests.serverErrors} attempts got a 5xx or no answer and were retried (a server fault even though no data was lost); first ones:`);
        for (const sample of result.serverErrorSamples) io.out(`    ${sample}`);
      }
      io.out(result.ok ? 'replay: all checks passed' : 'replay: CHECKS FAILED');
    }
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof ReplayAbort) {
      io.err(`replay: ${err.message}`);
      return 2;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`replay: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof Error && err.message.startsWith('Invalid configuration')) {
      io.err(`replay: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
