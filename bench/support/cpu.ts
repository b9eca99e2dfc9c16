/**
 * Where the CPU went during a phase, in cores: the server child, this load
 * generator, PostgreSQL (the backends of the benchmark's database plus the
 * server's background processes) and everything else on the machine. Reads
 * /proc on Linux; elsewhere only the load generator's own figure is known.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

type Snapshot = {
  at: number;
  self: NodeJS.CpuUsage;
  serverTicks: number | null;
  /** Ticks of each server process `serverTicks` adds up (several instances of the server). */
  eachServerTicks: Array<number | null>;
  postgresTicks: Map<number, number> | null;
  machine: { busy: number; total: number } | null;
};

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PG_BACKGROUND = /^postgres: [^:]+: (checkpointer|background writer|walwriter|autovacuum|logical replication|archiver|wal writer)/;

/** utime + stime of a process, in clock ticks. */
function processTicks(pid: number): number | null {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Ticks of every PostgreSQL process serving `database`, and of the server's background processes. */
function postgresTicks(database: string): Map<number, number> | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const ticks = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres: ')) continue;
    if (!cmd.includes(` ${database} `) && !PG_BACKGROUND.test(cmd)) continue;
    const t = processTicks(Number(entry));
    if (t !== null) ticks.set(Number(entry), t);
  }
  return ticks;
}

function readMachine(): Snapshot['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: total - idle - iowait, total };
  } catch {
    return null;
  }
}

/** The sum of `ticks`, or null when one of them is unknown. */
function total(ticks: Array<number | null>): number | null {
  return ticks.includes(null) ? null : ticks.reduce<number>((sum, t) => sum + t!, 0);
}

/** utime + stime of several processes together, in clock ticks; null when one of them cannot be read. */
export function processesTicks(pids: number[]): number | null {
  return total(pids.map(processTicks));
}

/**
 * @param serverPid the server's process, or the processes of several server instances (counted together)
 * @param database the PostgreSQL database the server uses, or null (PGlite: the database is inside the server)
 */
export function cpuSnapshot(serverPid: number | number[], database: string | null): Snapshot {
  const servers = Array.isArray(serverPid) ? serverPid : [serverPid];
  const eachServerTicks = servers.map(processTicks);
  return {
    at: performance.now(),
    self: process.cpuUsage(),
    serverTicks: total(eachServerTicks),
    eachServerTicks,
    postgresTicks: database ? postgresTicks(database) : null,
    machine: readMachine(),
  };
}

export type CpuUse = {
  /** e.g. `cpu (cores of 2): server 0.98, load generator 0.31, postgres 0.60, other 0.05` */
  text: string;
  /** Cores used by processes that are not part of the benchmark, when known. */
  other: number | null;
  /** Cores used by PostgreSQL (the benchmark database's backends and the background processes), when known. */
  postgres: number | null;
  /** Cores used by each server process, in the order of the snapshot's pids. */
  eachServer: Array<number | null>;
};

export function describeCpu(from: Snapshot, to: Snapshot): CpuUse {
  const seconds = (to.at - from.at) / 1000;
  if (seconds <= 0) return { text: 'cpu: n/a', other: null, postgres: null, eachServer: from.eachServerTicks.map(() => null) };
  const perSecond = (ticks: number) => ticks / TICKS_PER_SECOND / seconds;
  const generator = (to.self.user - from.self.user + to.self.system - from.self.system) / 1e6 / seconds;
  const server = from.serverTicks !== null && to.serverTicks !== null ? perSecond(to.serverTicks - from.serverTicks) : null;
  let postgres: number | null = null;
  if (from.postgresTicks && to.postgresTicks) {
    let ticks = 0;
    // Processes present at both ends; a backend that came and went in between is not counted.
    for (const [pid, t] of to.postgresTicks) {
      const before = from.postgresTicks.get(pid);
      if (before !== undefined) ticks += t - before;
    }
    postgres = perSecond(ticks);
  }
  const cores = availableParallelism();
  const machine =
    from.machine && to.machine && to.machine.total > from.machine.total
      ? ((to.machine.busy - from.machine.busy) / (to.machine.total - from.machine.total)) * cores
      : null;
  const other = machine !== null && server !== null ? Math.max(0, machine - server - generator - (postgres ?? 0)) : null;
  const eachServer = from.eachServerTicks.map((t, k) => {
    const end = to.eachServerTicks[k];
    return t === null || end === null || end === undefined ? null : perSecond(end - t);
  });
  const serverLabel = eachServer.length === 1 ? 'server' : `${eachServer.length} servers`;
  const parts = [`${serverLabel} ${server === null ? 'n/a' : server.toFixed(2)}`, `load generator ${generator.toFixed(2)}`];
  if (postgres !== null) parts.push(`postgres ${postgres.toFixed(2)}`);
  if (other !== null) parts.push(`other ${other.toFixed(2)}`);
  return { text: `cpu (cores of ${cores}): ${parts.join(', ')}`, other, postgres, eachServer };
}

/**
 * Cores busy on the whole machine over `ms`, before the benchmark starts
 * anything: other work on a small machine skews every figure.
 * @returns null when /proc/stat is unavailable
 */
export async function backgroundLoad(ms: number): Promise<number | null> {
  const a = readMachine();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = readMachine();
  if (!a || !b || b.total <= a.total) return null;
  return ((b.busy - a.busy) / (b.total - a.total)) * availableParallelism();
}
