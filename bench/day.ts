// npm run bench:day — the full Saler stack (scenarios/saler-full.yaml) for one simulated day at a
// mean of 1,000 requests/s, on one core: the CPU time (user + system) and the peak RSS of the run.
// The aim (issue 9): under 60 s of CPU and under 300 MB.
//
//   npm run bench:day -- [--scenario FILE] [--mean 1000] [--set path=value …] [--no-pin]
//
// The scenario's own curve is replaced by a diurnal day, min = mean/4, max = 7·mean/4 peaking at
// 20:00 (a cosine over a whole period: its mean is exactly `mean`), and its duration by 24 h; the
// rest of the file (fleet, policies, data tier, sample interval) runs as written. The run happens
// in a child process pinned to one CPU (taskset -c 0, when there is one): what it measures is the
// simulation, its summary and its timeseries.csv text — what `headroom run --no-html` does — not
// loading tsx or the scenario. CPU time is process.cpuUsage() over that span, so a loaded machine
// stretches the wall time and not the figure; peak RSS is the child's getrusage maxrss.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : dflt;
};
const file = opt('scenario', 'scenarios/saler-full.yaml');
const mean = Number(opt('mean', '1000'));
if (!(mean > 0)) throw new Error(`--mean: expected a rate > 0, got ${opt('mean', '')}`);
const sets = argv.flatMap((a, i) => (a === '--set' ? [argv[i + 1]!] : []));
const overrides = [
  'duration=24h',
  `traffic.rate={ diurnal: { min: ${mean / 4}, max: ${(7 * mean) / 4}, peakHour: 20 } }`,
  ...sets,
];

const child = ['--import', 'tsx', path.join(here, 'day-child.ts'), file, ...overrides];
const pin = !argv.includes('--no-pin') && existsSync('/usr/bin/taskset');
const load0 = loadavg()[0];
const out = pin
  ? execFileSync('/usr/bin/taskset', ['-c', '0', process.execPath, ...child], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 })
  : execFileSync(process.execPath, child, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
const r = JSON.parse(out) as {
  name: string; components: number; arrivals: number; seconds: number; cpu: number; user: number; system: number;
  wall: number; rssBeforeMb: number; peakRssMb: number; rows: number; csvMb: number; bottleneck: string | null;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`headroom day benchmark: ${r.name} (${file}, ${r.components} components), node ${process.version}${pin ? ', pinned to CPU 0' : ''}`);
console.log(`simulated ${fmt(r.seconds / 3600)} h at a mean of ${fmt(r.arrivals / r.seconds)} requests/s (${fmt(r.arrivals)} requests); curve diurnal ${mean / 4}–${(7 * mean) / 4}/s peaking at 20:00`);
console.log(`CPU ${r.cpu.toFixed(1)} s (user ${r.user.toFixed(1)} s + system ${r.system.toFixed(1)} s), ${fmt(r.arrivals / r.cpu)} requests per CPU second; wall ${r.wall.toFixed(1)} s`);
console.log(`peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB before the run); ${fmt(r.rows)} series rows, timeseries.csv ${r.csvMb.toFixed(1)} MB`);
console.log(`bottleneck: ${r.bottleneck ?? 'none'}`);
console.log(`aim: CPU under 60 s — ${r.cpu < 60 ? 'met' : 'missed'}; peak RSS under 300 MB — ${r.peakRssMb < 300 ? 'met' : 'missed'}`);
console.log(`load average (1 min) ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
