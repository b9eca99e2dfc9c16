/**
 * Starts and drives the fake Twilio child (`fake-twilio-child.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeRequest, FromFake, ToFake } from './fake-twilio-protocol.js';

const START_TIMEOUT_MS = 60_000;
const TAKE_TIMEOUT_MS = 60_000;

export type FakeTwilioChild = {
  baseUrl: string;
  pid: number;
  /** Every request the fake answered since the previous call. */
  take(): Promise<FakeRequest[]>;
  /** Ask the child to exit; kill it (by its own handle) if it does not within 10 s. */
  stop(): Promise<void>;
};

export async function startFakeTwilioChild(): Promise<FakeTwilioChild> {
  const script = fileURLToPath(new URL('./fake-twilio-child.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    execPath: process.execPath,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: string | null = null;
  const listeners = new Set<(m: FromFake | null) => void>();
  child.on('message', (m: FromFake) => {
    for (const l of [...listeners]) l(m);
  });
  child.on('exit', (code, signal) => {
    exited = `fake Twilio child exited (${signal ?? `code ${code}`})`;
    for (const l of [...listeners]) l(null);
  });

  function next<T extends FromFake['type']>(type: T, timeoutMs: number): Promise<Extract<FromFake, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (exited) return reject(new Error(exited));
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`fake Twilio child sent no "${type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const listener = (m: FromFake | null) => {
        if (m && m.type !== type && m.type !== 'failed') return;
        listeners.delete(listener);
        clearTimeout(timer);
        if (m === null) reject(new Error(exited ?? 'fake Twilio child exited'));
        else if (m.type === 'failed') reject(new Error(`fake Twilio child failed: ${m.message}`));
        else resolve(m as Extract<FromFake, { type: T }>);
      };
      listeners.add(listener);
    });
  }
  const send = (m: ToFake) => {
    if (child.connected) child.send(m);
  };

  try {
    const ready = await next('ready', START_TIMEOUT_MS);
    return {
      baseUrl: ready.baseUrl,
      pid: ready.pid,
      take: async () => {
        const answer = next('taken', TAKE_TIMEOUT_MS);
        send({ type: 'take' });
        return (await answer).requests;
      },
      stop: async () => {
        if (exited || child.exitCode !== null) return;
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
