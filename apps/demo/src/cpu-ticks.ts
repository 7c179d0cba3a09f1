import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, in clock ticks of 10 ms) of the parts of a benchmark, read from /proc. */
export type CpuTicks = Record<string, number>;

/** Linux's USER_HZ; /proc reports CPU times in these ticks. */
const TICKS_PER_SECOND = 100;

/** The ids of the running processes (none where there is no /proc). */
function processIds(): string[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
}

function ticksOf(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after the command: state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(close + 2).split(' ');
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/**
 * Reads the CPU ticks so far of the named processes (by pid) and of every PostgreSQL and Redis
 * server process, plus the whole machine's busy ticks (`machine`), so a phase's share of each can
 * be told from two readings (see {@link cpuMicrosPerRequest}). Linux only; elsewhere every count is 0.
 */
export function readCpuTicks(named: Record<string, number | undefined>): CpuTicks {
  const out: CpuTicks = { postgres: 0, redis: 0, machine: 0 };
  for (const key of Object.keys(named)) out[key] = 0;
  const byPid = new Map(Object.entries(named).map(([key, pid]) => [String(pid), key]));
  for (const pid of processIds()) {
    const key = byPid.get(pid);
    const read = ticksOf(pid);
    if (!read) continue;
    if (key !== undefined) out[key] = read.ticks;
    else if (read.comm === 'postgres') out.postgres = (out.postgres ?? 0) + read.ticks;
    else if (read.comm.startsWith('redis-server')) out.redis = (out.redis ?? 0) + read.ticks;
  }
  try {
    // First line of /proc/stat: user nice system idle iowait irq softirq steal …
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    out.machine = cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  } catch {
    // not Linux
  }
  return out;
}

/**
 * CPU ticks so far of each PostgreSQL server process, by pid: read at the start and the end of a
 * run, the backends of one database (known only at the end) can be told from other work on the
 * same server.
 */
export function postgresTicksByPid(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of processIds()) {
    const read = ticksOf(pid);
    if (read?.comm === 'postgres') out.set(pid, read.ticks);
  }
  return out;
}

/**
 * CPU microseconds per request of each part between two readings. A PostgreSQL backend that ended
 * in between makes that part's difference too small (never negative: it is clamped at 0). `other` is
 * the machine's busy time not spent by the parts read: other work on the box.
 */
export function cpuMicrosPerRequest(before: CpuTicks, after: CpuTicks, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, ticks] of Object.entries(after)) {
    const spent = Math.max(0, ticks - (before[key] ?? 0));
    out[key] = requests > 0 ? Math.round((spent * 1e6) / TICKS_PER_SECOND / requests) : 0;
  }
  // What the machine spent besides the parts named: other work on the box.
  const parts = Object.entries(out).filter(([key]) => key !== 'machine');
  out.other = Math.max(0, (out.machine ?? 0) - parts.reduce((sum, [, v]) => sum + v, 0));
  return out;
}
