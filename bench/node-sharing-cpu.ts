// Where the host's CPU went while `headroom bench` ran one level of bench/node-sharing.ts: the whole
// machine (/proc/stat), and per thread (/proc/PID/task/TID/schedstat: ns on a CPU, as the scheduler
// accounts it — utime + stime in /stat are 10 ms ticks, sampled at the timer interrupt) the
// processes of the stack — each upstream's busy-loop thread (its worker: the requests' own work)
// and its other threads (the main thread's HTTP parsing and answering, V8's compiler and GC),
// nginx, and the bench process itself (the load generator). Sampled once a second; everything that
// is not a busy loop is the node's background work for the model (`backgroundCpu`).
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { cmdline, processesOf } from '../src/bench/procs.ts';

type Role = 'upstream' | 'nginx' | 'generator';

interface Sample {
  at: number; // s, wall clock
  busy: number; // machine jiffies not idle or iowait, all cores
  total: number; // all jiffies, all cores
  /** Key pid/tid; a thread that ended keeps its last CPU seconds (they only grow), so differences hold. */
  threads: Map<string, { role: Role; pid: number; cpu: number }>;
  upstreams: number; // upstream processes alive at this sample
}

/**
 * Jiffies busy and in all, summed over the machine's cores (the first line of /proc/stat). Niced
 * work counts as busy: with autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled, on
 * here) nice weighs threads only within their session's group, and the groups share the cores
 * equally — a nice-19 job of another session takes its group's share from the stack.
 */
function machine(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total }; // idle, iowait
}

/** Seconds thread `tid` of `pid` has run on a CPU; null when it is gone. */
function runSeconds(pid: number, tid: string): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]) / 1e9;
  } catch {
    return null;
  }
}

export class LevelCpu {
  private readonly samples: Sample[] = [];
  private roles = new Map<number, Role>();

  constructor(private readonly out: string) {}

  sample(): void {
    const m = machine(), prev = this.samples.at(-1);
    const threads: Sample['threads'] = new Map(prev?.threads);
    let upstreams = 0;
    for (const pid of processesOf(this.out)) {
      let role = this.roles.get(pid);
      if (role === undefined) {
        const cmd = cmdline(pid);
        role = cmd.includes('upstream.mjs') ? 'upstream' : cmd.startsWith('nginx') ? 'nginx' : 'generator';
        this.roles.set(pid, role);
      }
      if (role === 'upstream') upstreams++;
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tids) {
        const cpu = runSeconds(pid, tid);
        if (cpu !== null) threads.set(`${pid}/${tid}`, { role, pid, cpu });
      }
    }
    this.samples.push({ at: performance.now() / 1000, busy: m.busy, total: m.total, threads, upstreams });
  }

  /**
   * Cores used on average over the load: from the first sample after the busy loops started to
   * `seconds` later (or the last sample with the stack alive). `loops` is the three busy-loop
   * threads, `mains` the upstreams' other threads, `others` the machine's remaining CPU (other
   * users of the host, the kernel). loopSeconds is the busy loops' CPU over the whole run.
   */
  summary(seconds: number): { loops: number; mains: number; nginx: number; generator: number; others: number; machine: number; loopSeconds: number; window: number } {
    const s = this.samples;
    let last = s.length - 1;
    while (last >= 0 && s[last].upstreams === 0) last--;
    if (last < 1) throw new Error('node-sharing: the stack\'s upstreams were never seen in /proc');
    // The busy-loop thread of an upstream: its non-main thread with the most CPU (the last
    // sample holds every thread seen, at its last figure).
    const loop = new Set<string>(), best = new Map<number, [string, number]>();
    for (const [key, t] of s[s.length - 1].threads) {
      if (t.role !== 'upstream' || key === `${t.pid}/${t.pid}`) continue;
      const b = best.get(t.pid);
      if (b === undefined || t.cpu > b[1]) best.set(t.pid, [key, t.cpu]);
    }
    for (const [key] of best.values()) loop.add(key);
    const split = (x: Sample) => {
      const r = { loops: 0, mains: 0, nginx: 0, generator: 0 };
      for (const [key, t] of x.threads) {
        if (loop.has(key)) r.loops += t.cpu;
        else if (t.role === 'upstream') r.mains += t.cpu;
        else r[t.role] += t.cpu;
      }
      return r;
    };
    // The load starts in the first interval the loops gain 0.2 core-seconds (a worker thread's own
    // start-up costs a few ms, before any request).
    const loops = s.map((x) => split(x).loops);
    const first = loops.findIndex((v, i) => i > 0 && v - loops[i - 1] >= 0.2);
    if (first < 0) throw new Error('node-sharing: the busy loops never ran');
    const start = first - 1;
    let end = start;
    while (end < last && s[end + 1].at - s[start].at <= seconds + 0.5) end++;
    const a = split(s[start]), b = split(s[end]);
    const dt = s[end].at - s[start].at;
    const cores = (k: keyof typeof a) => (b[k] - a[k]) / dt;
    // Machine jiffies are summed over cores: busy share × core count = cores busy.
    const mach = ((s[end].busy - s[start].busy) / (s[end].total - s[start].total)) * cpus().length;
    const used = { loops: cores('loops'), mains: cores('mains'), nginx: cores('nginx'), generator: cores('generator') };
    return {
      ...used, machine: mach, window: dt,
      others: Math.max(0, mach - used.loops - used.mains - used.nginx - used.generator),
      loopSeconds: split(s[s.length - 1]).loops,
    };
  }
}
