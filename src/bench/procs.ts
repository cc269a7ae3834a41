// Processes the live stack starts, and how it makes sure none outlives it.
//   - Every child is started through `setpriv --pdeathsig SIG` (util-linux): the kernel sends SIG
//     to the child the moment headroom dies, however it dies (SIGKILL included). Upstreams get
//     SIGKILL; nginx's master gets SIGTERM, its fast shutdown, because its workers are its own
//     children and only a live master stops them (a killed master leaves them serving).
//   - Upstreams also hold an IPC channel to headroom and exit when it closes.
//   - A record of the stack (see ./stale.ts) lets the next start clean whatever still survived.
// A pid is only signalled after /proc shows it is still ours (its command line or an open file
// names the stack's private prefix), so a recycled pid is never hit.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export const SETPRIV = '/usr/bin/setpriv';

/** Spawns `cmd args` so that it receives `deathSignal` when this process dies. */
export function spawnTied(cmd: string, args: string[], deathSignal: 'KILL' | 'TERM', opts: SpawnOptions): ChildProcess {
  return spawn(SETPRIV, ['--pdeathsig', deathSignal, '--', cmd, ...args], opts);
}

/** /proc/PID/stat fields after the command name: [state, ppid, …]; null when the pid is gone. */
function statFields(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Running (a zombie has exited: only its parent's wait() is missing, it holds no port or CPU). */
export function isRunning(pid: number): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z';
}

/** The kernel's start time of a process (clock ticks since boot): with the pid, its identity. */
export function startTicks(pid: number): number | null {
  const f = statFields(pid);
  return f === null ? null : Number(f[19]);
}

/** CPU time (user + system) of a process in seconds, from /proc/PID/stat; null when gone. */
export function cpuSeconds(pid: number, ticksPerSecond = 100): number | null {
  const f = statFields(pid);
  return f === null ? null : (Number(f[11]) + Number(f[12])) / ticksPerSecond;
}

/** Resident memory of a process in bytes (/proc/PID/stat rss, in 4 KiB pages on x86-64 and arm64 Linux); null when gone. */
export function rssBytes(pid: number): number | null {
  const f = statFields(pid);
  return f === null ? null : Number(f[21]) * 4096;
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Whether pid belongs to the stack living in `prefix`: its command line or one of its open files names it. */
export function ownedBy(pid: number, prefix: string): boolean {
  if (!isRunning(pid)) return false;
  if (cmdline(pid).includes(prefix)) return true;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix)) return true;
      } catch { /* closed meanwhile */ }
    }
  } catch { /* gone, or not ours to read */ }
  return false;
}

/** Every running process that belongs to the stack in `prefix` (nginx workers included, which name it only in their open log files). */
export function processesOf(prefix: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid !== process.pid && ownedBy(pid, prefix)) out.push(pid);
  }
  return out;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch { /* already gone */ }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until none of `pids` runs, or `ms` passed; returns those still running. */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let left = pids.filter(isRunning);
  while (left.length > 0 && Date.now() < end) {
    await sleep(20);
    left = left.filter(isRunning);
  }
  return left;
}

/** Ends every process of the stack in `prefix`: SIGTERM, then SIGKILL after `graceMs`. Returns how many were found. */
export async function endAll(prefix: string, graceMs = 2000): Promise<number> {
  const pids = processesOf(prefix);
  for (const p of pids) signal(p, 'SIGTERM');
  const left = await waitGone(pids, graceMs);
  for (const p of left) if (ownedBy(p, prefix)) signal(p, 'SIGKILL');
  await waitGone(left, 1000);
  return pids.length;
}

/** The same, synchronously, for a process 'exit' handler (no event loop left): SIGKILL at once. */
export function killAllSync(prefix: string): void {
  for (const p of processesOf(prefix)) signal(p, 'SIGKILL');
}
