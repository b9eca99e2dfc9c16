/**
 * Runs the real server (`src/main.ts`) as a child process, so a test can
 * kill it with SIGKILL mid-delivery and start another over the same
 * database. The child gets only the environment given here (plus PATH and
 * HOME): nothing leaks in from the test process, such as its DATABASE_URL.
 *
 * It listens on a free port on 127.0.0.1 (PORT=0); the address is read from
 * Fastify's "Server listening at …" log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CREDENTIALS_ENCRYPTION_KEY } from './server.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ChildServer = {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  pid: number;
  /** Everything the child wrote to stdout and stderr so far (pino JSON lines). */
  output(): string;
  /** SIGKILL: no shutdown hooks, no graceful stop; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful: closes the server, the job queue and the database), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
};

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `node --import tsx src/main.ts` with `env`.
 * @param env configuration for the child (DATABASE_URL or DATA_DIR, OUTBOUND_PROVIDERS, …);
 *   PORT, HOST, LOG_LEVEL and CREDENTIALS_ENCRYPTION_KEY default to 0, 127.0.0.1, info and the test servers' key
 * @param readyTimeoutMs how long the child may take to listen (migrations on PGlite take a few seconds)
 * @throws Error with the child's output when it exits or does not listen in time
 */
export async function startChildServer(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CREDENTIALS_ENCRYPTION_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`child server did not listen within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    const onData = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) done(() => resolve(match[1]!));
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`child server exited (code ${code}, signal ${signal}) before listening`));
    function done(then: () => void) {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      then();
    }
    function fail(err: Error) {
      done(() => {
        child.kill('SIGKILL');
        reject(new Error(`${err.message}\n--- child output ---\n${output}`));
      });
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    baseUrl,
    pid: child.pid!,
    output: () => output,
    async kill() {
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    },
    async stop(timeoutMs = 20_000) {
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
