/**
 * Test helpers around the fakes: assert a ProviderError's classification,
 * and get a loopback URL where nothing listens (connection refused).
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { ProviderError, type ProviderErrorKind } from '../../../src/channels/contract.js';

export type ExpectedProviderError = {
  kind: ProviderErrorKind;
  /** Checked when present (null = must have no code). */
  providerCode?: string | null;
  /** Checked when present (null = must have none). */
  retryAfterMs?: number | null;
  /** Checked when present. */
  message?: RegExp;
};

/**
 * Await `promise` (or call `fn`), require it to reject with a ProviderError matching `expected`.
 * @returns the error, for further checks
 */
export async function rejectsWithProviderError(promise: Promise<unknown> | (() => unknown), expected: ExpectedProviderError): Promise<ProviderError> {
  let caught: unknown = null;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ProviderError, `expected a ProviderError, got ${caught === null ? 'success' : String(caught)}`);
  assert.equal(caught.kind, expected.kind, `kind (message: ${caught.message})`);
  if (expected.providerCode !== undefined) assert.equal(caught.providerCode, expected.providerCode, 'providerCode');
  if (expected.retryAfterMs !== undefined) assert.equal(caught.retryAfterMs, expected.retryAfterMs, 'retryAfterMs');
  if (expected.message) assert.match(caught.message, expected.message);
  return caught;
}

/** A `127.0.0.1` port that was free a moment ago and has no listener now (connections are refused). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
