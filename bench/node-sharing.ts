// npm run bench:node-sharing — does the node model predict a CPU-bound stack better? Three
// single-threaded upstreams (`workers: 1`, `headroom bench --mode cpu`: each request busy-loops
// 10 ms of CPU on its process's one worker thread) behind nginx on this machine, at 30, 60 and 85 %
// load. Then the same scenario simulated twice, over the bench's own duration and warmup (an
// overloaded level is a transient: a queue growing for 30 s is not the one a 600 s run reports),
// as `--replications` independent runs whose mean (with its 95 % CI) is compared to the measurement:
//   - the pool alone: each instance its own core (three M/D/1 queues);
//   - on a node: one m6i.large (2 vCPU) the three pods share, each busy worker wanting a core, with
//     `backgroundCpu` = the CPU measured on the machine during the level that was not the three busy
//     loops (the upstreams' main threads answering HTTP, nginx, the load generator, anything else
//     running), from /proc (./node-sharing-cpu.ts).
//
//   npm run bench:node-sharing -- [--duration 30s] [--levels 0.3,0.6,0.85] [--against host|pool]
//                                 [--replications 20] [--keep DIR]
//
// Both predictions take the service time the busy loops were measured to burn per answer (/proc:
// their threads' CPU ÷ answers), not the nominal 10 ms.
//
// Load is over the capacity that binds: `host` (the default) is the machine's cores over the CPU
// the stack burns per request (busy loop + the upstreams' main threads + nginx + the generator),
// measured by a pilot run of --duration at 100 req/s before the levels; `pool` is the pool's 3
// workers / 10 ms = 300 req/s, which on 2 cores makes 60 % an overload of the host already. Each
// level waits (up to 30 s) for fewer runnable processes than cores; the load average is printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseScenario } from '../src/scenario/index.ts';
import { parseDuration } from '../src/scenario/units.ts';
import { runScenario } from '../src/model/index.ts';
import { ci95, type Interval } from '../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../src/stats/results.ts';
import { headroom, quiet, withLoad } from './headroom-child.ts';
import { LevelCpu } from './node-sharing-cpu.ts';

const opt = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const duration = opt('duration', '30s');
const seconds = parseDuration(duration);
const levels = opt('levels', '0.3,0.6,0.85').split(',').map(Number);
const against = opt('against', 'host');
const reps = Number(opt('replications', '20'));
const keep = process.argv.includes('--keep') ? path.resolve(opt('keep', 'reports/node-sharing')) : null;
if (against !== 'host' && against !== 'pool') throw new Error(`--against: expected host or pool, got ${against}`);
if (!Number.isInteger(reps) || reps < 2) throw new Error(`--replications: expected an integer of at least 2, got ${reps}`);
if (levels.some((l) => !(l > 0 && l < 2))) throw new Error(`--levels: expected fractions like 0.3,0.6,0.85, got ${opt('levels', '')}`);
const SERVICE = 0.01, WORKERS = 3, WARMUP = 3, CORES = availableParallelism();

function scenario(rate: number, service: number, backgroundCpu: number | null, seed: number): Record<string, unknown> {
  const nodes = backgroundCpu !== null;
  return {
    name: 'node-sharing', seed, duration, warmup: `${WARMUP}s`, sampleInterval: '1s',
    traffic: { rate },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'app', maxFails: 0 },
      app: {
        kind: 'pool', instances: WORKERS, workers: 1, backlog: 100000, serviceTime: `${+(service * 1000).toFixed(3)}ms`,
        ...(nodes ? { cpuRequest: '500m', cpuLimit: 1, cpuPerWorker: 1 } : {}),
      },
    },
    ...(nodes ? { nodes: { pools: { host: { instanceType: 'm6i.large', count: 1, backgroundCpu: `${backgroundCpu}m` } } } } : {}),
  };
}

const pool = (s: RunSummary) => s.components.app as PoolSummary;
const err = (pred: number, meas: number) => `${pred >= meas ? '+' : '−'}${(Math.abs(pred / meas - 1) * 100).toFixed(0)}%`;
const ms = (s: number) => (s >= 1 ? `${Math.round(s * 1000).toLocaleString('en')} ms` : `${(s * 1000).toFixed(1)} ms`);
const cell = (p: Prediction, k: 'p50' | 'p99', meas: number | null) => {
  if (p === null) return 'none answered';
  const x = p[k], of = p.answered < reps ? ` (${p.answered} of ${reps})` : '';
  return `${ms(x.mean)} ±${(x.halfWidth / x.mean * 100).toFixed(0)}%${of}${meas === null ? '' : ` ${err(x.mean, meas)}`}`;
};

type Prediction = { p50: Interval; p99: Interval; answered: number } | null;

/**
 * `reps` replications over the bench's horizon: mean and 95 % CI of the pool's p50 and p99 over
 * those that answered a request arrived after the warmup (an overloaded 30 s may answer none of
 * them: its queue is still the warmup's); null when fewer than two did.
 */
function predict(rate: number, service: number, backgroundCpu: number | null, file: string, dir: string): Prediction {
  const runs = Array.from({ length: reps }, (_, i) => pool(runScenario(parseScenario(scenario(rate, service, backgroundCpu, 1 + i), file, dir)).summary).latency)
    .filter((l) => l.count > 0);
  return runs.length < 2 ? null : { p50: ci95(runs.map((r) => r.p50)), p99: ci95(runs.map((r) => r.p99)), answered: runs.length };
}

/** Benches the stack at `rate` into `name`: its summary, where the CPU went, the load. */
async function bench(name: string, rate: number) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(scenario(rate, SERVICE, null, 5)));
  const out = keep ? path.join(keep, name) : path.join(dir, `out-${name}`);
  const q = await quiet(CORES, 30);
  const cpu = new LevelCpu(out);
  const { load } = await withLoad(() => headroom(['bench', file, '--mode', 'cpu', '--duration', duration, '--out', out, '--no-html', '--json']), () => cpu.sample());
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  const used = cpu.summary(seconds), served = pool(summary).completions;
  return { file, q, load, summary, used, served, loopPerAnswer: used.loopSeconds / served };
}

const dir = mkdtempSync(path.join(tmpdir(), 'headroom-node-sharing-'));
const rows: string[][] = [], notes: string[] = [];
const sums = { alone: [0, 0], nodes: [0, 0] }, closer = [0, 0];
let capacity = WORKERS / SERVICE, compared = 0;
try {
  if (against === 'host') {
    const pilot = await bench('pilot', 100);
    const stack = pilot.loopPerAnswer + (pilot.used.mains + pilot.used.nginx + pilot.used.generator) / 100;
    capacity = CORES / stack;
    notes.push(`pilot at 100 req/s: the stack burns ${(stack * 1000).toFixed(2)} ms of CPU per request (busy loop ${(pilot.loopPerAnswer * 1000).toFixed(2)} ms), so ${CORES} cores serve ${capacity.toFixed(0)} req/s`);
  }
  for (const level of levels) {
    const rate = level * capacity;
    const { file, q, load, summary, used, served, loopPerAnswer } = await bench(`level-${level}`, rate);
    const latency = pool(summary).latency, measured = latency.count > 0 ? latency : null;
    const background = Math.round((used.machine - used.loops) * 1000);
    const alone = predict(rate, loopPerAnswer, null, file, dir), shared = predict(rate, loopPerAnswer, background, file, dir);
    if (measured && alone && shared) {
      compared++;
      for (const [i, k] of (['p50', 'p99'] as const).entries()) {
        const a = Math.abs(alone[k].mean / measured[k] - 1), b = Math.abs(shared[k].mean / measured[k] - 1);
        sums.alone[i] += a;
        sums.nodes[i] += b;
        if (b < a) closer[i]++;
      }
    }
    const pct = `${(level * 100).toFixed(0)}%`;
    rows.push([
      `${pct} (${rate.toFixed(0)} req/s)`, `${load.mean.toFixed(1)} (max ${load.max.toFixed(1)})`, `${(background / 1000).toFixed(2)}`,
      measured ? ms(measured.p50) : 'none answered', cell(alone, 'p50', measured?.p50 ?? null), cell(shared, 'p50', measured?.p50 ?? null),
      measured ? ms(measured.p99) : 'none answered', cell(alone, 'p99', measured?.p99 ?? null), cell(shared, 'p99', measured?.p99 ?? null),
    ]);
    const perReq = (cores: number) => `${(cores / rate * 1000).toFixed(2)} ms`;
    notes.push(`${pct}: ${served} answered; busy loops ${(loopPerAnswer * 1000).toFixed(2)} ms of CPU per answer (${used.loops.toFixed(2)} cores); ` +
      `per request: upstream main threads ${perReq(used.mains)}, nginx ${perReq(used.nginx)}, generator ${perReq(used.generator)}; ` +
      `the rest of the machine ${used.others.toFixed(2)} cores; machine busy ${used.machine.toFixed(2)} of ${CORES} over ${used.window.toFixed(0)} s ` +
      `(${q.runnable.toFixed(1)} runnable at the start, after ${q.waited.toFixed(0)} s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${duration} per level, load against the ${against === 'host' ? `host's ${CORES} cores` : `pool's ${WORKERS} workers`} (${capacity.toFixed(0)} req/s); predictions: mean of ${reps} replications over ${duration} (warmup ${WARMUP} s) ± 95 % CI half-width, error of the mean`);
const head = ['load', 'load avg', 'background cores', 'p50 measured', 'p50 pool alone', 'p50 on a 2-core node', 'p99 measured', 'p99 pool alone', 'p99 on a 2-core node'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [head, w.map((n) => '-'.repeat(n)), ...rows]) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
for (const n of notes) console.log(n);
const n = compared;
console.log(`over the ${n} level${n === 1 ? '' : 's'} with answers measured and predicted: mean |error|: pool alone p50 ${(sums.alone[0] / n * 100).toFixed(0)}%, p99 ${(sums.alone[1] / n * 100).toFixed(0)}%; on a 2-core node p50 ${(sums.nodes[0] / n * 100).toFixed(0)}%, p99 ${(sums.nodes[1] / n * 100).toFixed(0)}%`);
console.log(`the node model is closer at ${closer[0]} of ${n} levels for p50, ${closer[1]} of ${n} for p99`);
