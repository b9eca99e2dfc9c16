/**
 * Where the CPU went during the outbox phase, in cores: this process (the
 * application: composers, pg-boss and the delivery workers), the fake
 * Twilio child, the further application instances (`--instances N`: child
 * processes), PostgreSQL (the benchmark database's backends and the
 * server's background processes) and everything else on the machine.
 *
 * Built on bench/support/cpu.ts's /proc snapshots, taken every second: the
 * app's pools open and close connections during a long phase, so a
 * PostgreSQL backend that appears between two samples is counted from its
 * start, one that disappears is counted up to the last sample it was seen in.
 */
import { availableParallelism } from 'node:os';
import { cpuSnapshot, processesTicks } from '../support/cpu.js';

type Snapshot = ReturnType<typeof cpuSnapshot>;

/** `text`: the line to print; `postgresSeconds`: CPU seconds the database's processes used (null where not measurable). */
export type CpuUse = { text: string; postgresSeconds: number | null };
export type CpuSampler = { stop(): CpuUse };

/** @param instancePids the processes of the further application instances (none: one instance, this process) */
export function sampleCpu(fakePid: number, database: string | null, instancePids: number[] = []): CpuSampler {
  const first = cpuSnapshot(fakePid, database);
  const instancesFirst = processesTicks(instancePids);
  let previous = first;
  let postgresTicks = 0;
  const add = (next: Snapshot) => {
    if (previous.postgresTicks && next.postgresTicks) {
      for (const [pid, t] of next.postgresTicks) postgresTicks += t - (previous.postgresTicks.get(pid) ?? 0);
    }
    previous = next;
  };
  const timer = setInterval(() => add(cpuSnapshot(fakePid, database)), 1000);
  return {
    stop() {
      clearInterval(timer);
      const last = cpuSnapshot(fakePid, database);
      add(last);
      const ticks = first.postgresTicks ? postgresTicks : null;
      const instancesLast = processesTicks(instancePids);
      const instances = instancePids.length === 0 ? undefined : instancesFirst === null || instancesLast === null ? null : instancesLast - instancesFirst;
      return { text: describe(first, last, ticks, instances), postgresSeconds: ticks === null ? null : ticks / 100 };
    },
  };
}

/** @param instanceTicks CPU ticks of the further instances; undefined when there are none, null when unreadable */
function describe(from: Snapshot, to: Snapshot, postgresTicks: number | null, instanceTicks?: number | null): string {
  const seconds = (to.at - from.at) / 1000;
  if (seconds <= 0) return 'cpu: n/a';
  const perSecond = (ticks: number) => ticks / 100 / seconds; // USER_HZ
  const app = (to.self.user - from.self.user + to.self.system - from.self.system) / 1e6 / seconds;
  const fake = from.serverTicks !== null && to.serverTicks !== null ? perSecond(to.serverTicks - from.serverTicks) : null;
  const postgres = postgresTicks === null ? null : perSecond(postgresTicks);
  const cores = availableParallelism();
  const machine = from.machine && to.machine && to.machine.total > from.machine.total
    ? ((to.machine.busy - from.machine.busy) / (to.machine.total - from.machine.total)) * cores
    : null;
  const instances = instanceTicks === undefined || instanceTicks === null ? null : perSecond(instanceTicks);
  const parts = [`app+workers ${app.toFixed(2)}`];
  if (instanceTicks !== undefined) parts.push(`other instances ${instances === null ? 'n/a' : instances.toFixed(2)}`);
  parts.push(`fake twilio ${fake === null ? 'n/a' : fake.toFixed(2)}`);
  if (postgres !== null) parts.push(`postgres ${postgres.toFixed(2)}`);
  if (machine !== null) parts.push(`other ${Math.max(0, machine - app - (instances ?? 0) - (fake ?? 0) - (postgres ?? 0)).toFixed(2)}`);
  return `cpu (cores of ${cores}, average over the phase): ${parts.join(', ')}`;
}
