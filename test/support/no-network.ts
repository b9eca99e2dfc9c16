/**
 * Importing this module forbids outbound TCP to anything but loopback for
 * the rest of the process: `net.Socket.prototype.connect` (the one path under
 * `net.connect`, `tls.connect`, `http`/`https` and `fetch`, whose undici
 * client calls `net.connect`) throws `NetworkBlockedError` synchronously,
 * before any DNS lookup or packet, for hosts other than 127.0.0.0/8, ::1,
 * `localhost` (and IPC paths). `fetch` then rejects with
 * `TypeError('fetch failed')` whose `cause` is the NetworkBlockedError.
 *
 * Because adapters turn network errors into retryable ProviderErrors, a test
 * could otherwise pass on a blocked call; so every attempt is also recorded,
 * and under `node:test` a root `after` hook fails the file listing them.
 * A test that provokes a block on purpose takes it back with
 * `takeBlockedConnections()`.
 *
 * The host of `DATABASE_URL`, when set, is allowed too (tests may run on a
 * PostgreSQL server elsewhere).
 *
 * Use: `node --import ./test/support/no-network.ts --test …`, or import it
 * first in a test file. Installing twice is a no-op.
 */
import net from 'node:net';
import { after } from 'node:test';

/** Thrown instead of connecting to a non-loopback host. */
export class NetworkBlockedError extends Error {
  readonly code = 'ERR_TEST_NETWORK_BLOCKED';
  readonly host: string;
  readonly port: number | null;

  constructor(host: string, port: number | null) {
    super(`Tests may not open network connections: blocked ${host}${port === null ? '' : `:${port}`} (only loopback is allowed; use a fake provider on 127.0.0.1)`);
    this.name = 'NetworkBlockedError';
    this.host = host;
    this.port = port;
  }
}

type Blocked = { host: string; port: number | null; stack: string };

const INSTALLED = Symbol.for('torqueflow.test.no-network');
const state = globalThis as typeof globalThis & { [INSTALLED]?: { blocked: Blocked[] } };

/**
 * True for loopback destinations: `localhost` (and `*.localhost`),
 * 127.0.0.0/8, `::1`, and IPv4-mapped `::ffff:127.x.y.z`.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

/**
 * Blocked attempts so far, cleared by this call (so the end-of-file check
 * does not fail for attempts a test made on purpose).
 */
export function takeBlockedConnections(): Array<{ host: string; port: number | null }> {
  const record = state[INSTALLED];
  if (!record) return [];
  return record.blocked.splice(0).map(({ host, port }) => ({ host, port }));
}

/** Destination of a `Socket#connect` call: `(options)`, `(port, host?)`, `(path)` or Node's internal `[options, cb]`. */
function destination(args: unknown[]): { host: string; port: number | null } | null {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return null;
    return { host: typeof o.host === 'string' && o.host !== '' ? o.host : 'localhost', port: o.port === undefined ? null : Number(o.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' && args[1] !== '' ? args[1] : 'localhost', port: Number(first) };
  }
  return null;
}

/** The test database server's host, when DATABASE_URL points at one. */
function databaseHost(): string | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase() || null;
  } catch {
    return null;
  }
}

function install(): void {
  if (state[INSTALLED]) return;
  const record = { blocked: [] as Blocked[] };
  state[INSTALLED] = record;
  const allowedHost = databaseHost();

  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const dest = destination(args);
    if (dest && !isLoopbackHost(dest.host) && dest.host.toLowerCase() !== allowedHost) {
      const error = new NetworkBlockedError(dest.host, dest.port);
      record.blocked.push({ ...dest, stack: error.stack ?? error.message });
      throw error;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  // Fail the test file if anything tried to leave the machine and nobody took it back.
  after(() => {
    const leftover = record.blocked.splice(0);
    if (leftover.length > 0) {
      throw new Error(`Blocked ${leftover.length} outbound network connection(s):\n${leftover.map((b) => b.stack).join('\n\n')}`);
    }
  });
}

install();
