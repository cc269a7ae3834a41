// CPU used per interval by each process of the stack (from /proc/PID/stat: utime + stime, in
// clock ticks of 1/100 s on Linux) and by the generator itself (process.cpuUsage, µs). Written as
// cpu.csv (one row per process per interval, in cores: 1 = one core busy the whole interval), the
// file ./cpu-format.ts reads for calibration.
import { CPU_COLUMNS } from './cpu-format.ts';
import { cpuSeconds } from './procs.ts';

export interface CpuRow {
  time: number; // s, end of the interval
  process: string; // "nginx", "nginx-worker", "web-0", "_generator"
  pid: number;
  cores: number;
}

export class CpuMeter {
  private readonly last = new Map<number, number>();
  private lastSelf = process.cpuUsage();
  readonly rows: CpuRow[] = [];

  /** Records each labelled process's CPU since the previous call; returns the generator's share of one core. */
  sample(time: number, dt: number, procs: Array<{ pid: number; name: string }>): number {
    for (const p of procs) {
      const now = cpuSeconds(p.pid);
      if (now === null) continue;
      const before = this.last.get(p.pid);
      this.last.set(p.pid, now);
      if (before !== undefined && dt > 0) this.rows.push({ time, process: p.name, pid: p.pid, cores: (now - before) / dt });
    }
    const d = process.cpuUsage(this.lastSelf);
    this.lastSelf = process.cpuUsage();
    const self = dt > 0 ? (d.user + d.system) / 1e6 / dt : 0;
    this.rows.push({ time, process: '_generator', pid: process.pid, cores: self });
    return self;
  }

  /** Primes the counters (the first interval then starts here). */
  start(procs: Array<{ pid: number; name: string }>): void {
    for (const p of procs) {
      const v = cpuSeconds(p.pid);
      if (v !== null) this.last.set(p.pid, v);
    }
    this.lastSelf = process.cpuUsage();
  }

  csv(): string {
    const lines = [CPU_COLUMNS.join(',')];
    for (const r of this.rows) lines.push(`${r.time},${r.process},${r.pid},${r.cores.toFixed(4)}`);
    return lines.join('\n') + '\n';
  }
}
