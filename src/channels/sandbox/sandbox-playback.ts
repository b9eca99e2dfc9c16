/**
 * Delivery statuses the zero-setup demo plays back after a sandbox send, so
 * the inbox shows ticks moving as with real providers.
 *
 * Deterministic failure: a phone recipient whose number ends in `999` fails,
 * SMS with Twilio 30003 "Unreachable destination handset" (an `undelivered`
 * callback in real life), WhatsApp with 131026 "Message undeliverable".
 * Email never fails in the sandbox.
 */

export type SandboxChannel = 'sms' | 'whatsapp' | 'email';

export type SandboxEvent = {
  /** Milliseconds after the send (from the send, not from the previous event). */
  afterMs: number;
  status: 'delivered' | 'read' | 'failed';
  /** Provider error code as a string, on `failed`. */
  errorCode?: string;
  /** Human reason, on `failed`. */
  reason?: string;
};

/** Recipients ending in this suffix fail (SMS and WhatsApp). */
export const SANDBOX_FAILING_SUFFIX = '999';

/**
 * The status events to apply, in time order, for one sandbox send.
 * SMS: delivered at 2000 ms. WhatsApp: delivered at 1500 ms, read at 6000 ms.
 * Email: delivered at 1000 ms. Failing recipients: one `failed` event at the
 * channel's delivery time. Pure: same input, same schedule.
 */
export function sandboxPlayback(channel: SandboxChannel, to: string): SandboxEvent[] {
  const fails = to.trim().endsWith(SANDBOX_FAILING_SUFFIX);
  switch (channel) {
    case 'sms':
      return fails
        ? [{ afterMs: 2000, status: 'failed', errorCode: '30003', reason: 'Unreachable destination handset' }]
        : [{ afterMs: 2000, status: 'delivered' }];
    case 'whatsapp':
      return fails
        ? [{ afterMs: 1500, status: 'failed', errorCode: '131026', reason: 'Message undeliverable' }]
        : [
            { afterMs: 1500, status: 'delivered' },
            { afterMs: 6000, status: 'read' },
          ];
    case 'email':
      return [{ afterMs: 1000, status: 'delivered' }];
  }
}
