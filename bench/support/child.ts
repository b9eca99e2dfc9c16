/**
 * A benchmark child process driven over IPC: the server children of
 * `bench/ingest.ts` (`server.ts`) and the extra application instances of
 * `bench/send.ts` (`send-support/stack-child.ts`). The child reports with
 * messages `{ type, ... }`, a `{ type: 'failed', message }` when it breaks,
 * and exits on `{ type: 'close' }` or when the parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Failed = { type: 'failed'; message: string };

export class BenchChild<From extends { type: string }, To extends { type: string }> {
  private readonly inbox: (From | Failed)[] = [];
  private waiter: (() => void) | null = null;
  private exited: string | null = null;

  private constructor(
    readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (m: From | Failed) => {
      this.inbox.push(m);
      this.waiter?.();
    });
    child.on('exit', (code, signal) => {
      this.exited = `${name} exited (${signal ?? `code ${code}`})`;
      this.waiter?.();
    });
  }

  /**
   * Fork `script` (a URL, e.g. `new URL('./server.ts', import.meta.url)`) under tsx from the repository root,
   * with `env` added to this process's environment.
   * @param name how errors name the child, e.g. "server child"
   * @param nodeArgs extra node flags, e.g. `--cpu-prof`
   */
  static start<From extends { type: string }, To extends { type: string }>(script: URL, env: Record<string, string>, name: string, nodeArgs: string[] = []): BenchChild<From, To> {
    const child = fork(fileURLToPath(script), [], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      execPath: process.execPath,
      execArgv: ['--import', 'tsx', ...nodeArgs],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new BenchChild<From, To>(child, name);
  }

  /** The next message of `type`; throws on a `failed` message, exit or timeout. */
  async next<T extends From['type']>(type: T, timeoutMs: number): Promise<Extract<From, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.inbox.shift();
      if (m) {
        if (m.type === 'failed') throw new Error(`${this.name} failed: ${(m as Failed).message}`);
        if (m.type === type) return m as Extract<From, { type: T }>;
        continue;
      }
      if (this.exited) throw new Error(`${this.exited} while waiting for "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name} sent no "${type}" within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  send(message: To | { type: 'close' }): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Send `message` and wait for the answer of type `answer`. */
  async ask<T extends From['type']>(message: To, answer: T, timeoutMs: number): Promise<Extract<From, { type: T }>> {
    this.send(message);
    return this.next(answer, timeoutMs);
  }

  /** Ask the child to close; kill it (by its pid, via its handle) if it does not within 10 s. */
  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
