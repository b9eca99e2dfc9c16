/**
 * What `bench/send.ts` and its further application instances
 * (`instance-child.ts`, with `--instances N`) share: the plan in
 * BENCH_INSTANCE_PLAN and the IPC messages.
 */
import type { ComposeItem, ComposeTally } from './phases.js';
import type { StackOptions } from './stack.js';

/** The instance child's `startStack` options, passed as JSON in BENCH_INSTANCE_PLAN. */
export type InstancePlan = StackOptions;

export type ToInstance =
  | { type: 'compose'; orgId: string; items: ComposeItem[]; concurrency: number }
  | { type: 'deliveries' }
  | { type: 'close' };

export type FromInstance =
  | { type: 'ready'; pid: number }
  | ({ type: 'composed' } & ComposeTally)
  | { type: 'deliveries'; accepted: number }
  | { type: 'failed'; message: string };
