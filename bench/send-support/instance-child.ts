/**
 * A further application instance of `bench/send.ts --instances N`, run as a
 * child process as a second server would be: `startStack` (as `src/main.ts`
 * starts the server: its own connection pool, its own pg-boss with its own
 * pool, LISTEN connection, supervisor and delivery workers) on the
 * PostgreSQL database the first instance has already migrated.
 *
 * Reads its plan from BENCH_INSTANCE_PLAN (JSON `InstancePlan`), reports
 * `ready` over IPC, composes the share of the outbox it is given
 * (`compose` → `composed`), tells how many deliveries its workers handed to
 * the provider (`deliveries`), and exits on `close` or when the parent goes away.
 */
import type { FromInstance, InstancePlan, ToInstance } from './instance-protocol.js';
import { composeAll } from './phases.js';
import { deliveriesAccepted, startStack } from './stack.js';

function tell(message: FromInstance): void {
  process.send?.(message);
}

const failed = (err: unknown) => tell({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });

async function main(): Promise<void> {
  const raw = process.env.BENCH_INSTANCE_PLAN;
  if (!raw) throw new Error('BENCH_INSTANCE_PLAN is not set: this file is started by bench/send.ts');
  const stack = await startStack(JSON.parse(raw) as InstancePlan);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try {
      await stack.close(); // stops the queue (gracefully) and closes the database
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (m: ToInstance) => {
    if (m.type === 'compose') {
      composeAll(stack, m.orgId, m.items, m.concurrency).then((t) => tell({ type: 'composed', ...t }), failed);
    } else if (m.type === 'deliveries') {
      deliveriesAccepted(stack.app).then((accepted) => tell({ type: 'deliveries', accepted }), failed);
    } else if (m.type === 'close') {
      void shutdown();
    }
  });
  process.on('disconnect', () => void shutdown());
  tell({ type: 'ready', pid: process.pid });
}

main().catch((err: unknown) => {
  failed(err);
  setTimeout(() => process.exit(1), 100).unref();
});
