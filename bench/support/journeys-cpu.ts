// CPU accounting for the journeys benchmark, from /proc: how many core-seconds the Tend processes,
// this cluster's PostgreSQL and the benchmark process itself used during a run, and how busy the
// whole machine was (other people's work included). On 2 shared cores this is what says whether a
// second worker process had any CPU to run on.
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100;

/** user + system seconds of one process; with `children`, also of its children that have exited. */
function processSeconds(pid: number, children = false): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: count fields after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

const numericEntries = (): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** The postmaster listening on `port` (its command line carries `-p PORT`), or null. */
export function findPostmaster(port: number): number | null {
  for (const pid of numericEntries()) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!/postgres$/.test(argv[0] ?? '')) continue;
      const flag = argv.indexOf('-p');
      if (flag >= 0 && argv[flag + 1] === String(port)) return pid;
      if (
        argv.some(
          (argument) => argument === `-p ${port}` || argument.includes(` -p ${port}`) || argument === `--port=${port}`,
        )
      )
        return pid;
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

/** The postmaster and every live child (backends, WAL writer, checkpointer…), exited children included. */
function clusterSeconds(postmaster: number | null): number {
  if (postmaster === null) return Number.NaN;
  let total = processSeconds(postmaster, true);
  for (const pid of numericEntries()) if (parentOf(pid) === postmaster) total += processSeconds(pid);
  return total;
}

/** Busy and total jiffies of the whole machine (all cores) from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((sum, value) => sum + value, 0);
  // idle and iowait are not work.
  return { busy: total - line[3]! - (line[4] ?? 0), total };
}

export interface CpuSample {
  readonly at: number;
  readonly tend: number;
  readonly postgres: number;
  readonly bench: number;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

export function sampleCpu(tendPids: readonly number[], postmaster: number | null): CpuSample {
  const usage = process.cpuUsage();
  const machine = machineTicks();
  return {
    at: performance.now(),
    tend: tendPids.reduce((sum, pid) => sum + processSeconds(pid), 0),
    postgres: clusterSeconds(postmaster),
    bench: (usage.user + usage.system) / 1e6,
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

export interface CpuUse {
  readonly wallSeconds: number;
  /** Cores kept busy on average, each. */
  readonly tendCores: number;
  readonly postgresCores: number;
  readonly benchCores: number;
  /** The whole machine, everyone's work included, out of `cores`. */
  readonly machineCores: number;
}

export function cpuBetween(before: CpuSample, after: CpuSample, cores: number): CpuUse {
  const wallSeconds = (after.at - before.at) / 1000;
  return {
    wallSeconds,
    tendCores: (after.tend - before.tend) / wallSeconds,
    postgresCores: (after.postgres - before.postgres) / wallSeconds,
    benchCores: (after.bench - before.bench) / wallSeconds,
    machineCores:
      (cores * (after.machineBusy - before.machineBusy)) / Math.max(1, after.machineTotal - before.machineTotal),
  };
}
