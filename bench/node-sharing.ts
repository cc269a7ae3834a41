// npm run bench:node-sharing — does the node model predict a CPU-bound stack better? Three
// single-threaded upstreams (`workers: 1`, `headroom bench --mode cpu`: each request busy-loops on
// its process's one thread) behind nginx on this 2-core machine, at 30, 60 and 85 % of the pool's
// capacity (3 workers / 10 ms = 300 req/s). Then the same scenario simulated twice: as the pool
// alone (each instance its own core: three M/D/1 queues) and with `nodes:` — one 2-vCPU node the
// three pods share (each busy worker wants a core, a pod may use one). Prints the pool's measured
// p50 and p99 and each prediction's relative error.
//
//   npm run bench:node-sharing -- [--duration 30s] [--levels 0.3,0.6,0.85] [--keep DIR]
//
// The machine is shared: other processes (nginx, the load generator, anything else running) take
// cores too, which neither prediction knows; the load average during each level is printed beside it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../src/scenario/index.ts';
import { runScenario } from '../src/model/index.ts';
import type { PoolSummary, RunSummary } from '../src/stats/results.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const opt = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const duration = opt('duration', '30s');
const levels = opt('levels', '0.3,0.6,0.85').split(',').map(Number);
const keep = process.argv.includes('--keep') ? path.resolve(opt('keep', 'reports/node-sharing')) : null;
const SERVICE = 0.01, WORKERS = 3;

function scenario(rate: number, nodes: boolean, simDuration: number | string): Record<string, unknown> {
  return {
    name: 'node-sharing', seed: 5, duration: simDuration, warmup: '3s', sampleInterval: '1s',
    traffic: { rate },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'app', maxFails: 0 },
      app: {
        kind: 'pool', instances: WORKERS, workers: 1, backlog: 100000, serviceTime: `${SERVICE * 1000}ms`,
        ...(nodes ? { cpuRequest: '500m', cpuLimit: 1, cpuPerWorker: 1 } : {}),
      },
    },
    ...(nodes ? { nodes: { pools: { host: { instanceType: 'm6i.large', count: 1 } } } } : {}),
  };
}

const pool = (s: RunSummary) => s.components.app as PoolSummary;
const err = (pred: number, meas: number) => `${pred >= meas ? '+' : '−'}${(Math.abs(pred / meas - 1) * 100).toFixed(0)}%`;
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

const dir = mkdtempSync(path.join(tmpdir(), 'headroom-node-sharing-'));
const rows: string[][] = [];
const sums = { alone: [0, 0], nodes: [0, 0] };
try {
  for (const level of levels) {
    const rate = (level * WORKERS) / SERVICE;
    const file = path.join(dir, `level-${level}.json`);
    writeFileSync(file, JSON.stringify(scenario(rate, false, duration)));
    const out = keep ? path.join(keep, `level-${level}`) : path.join(dir, `out-${level}`);
    const load0 = loadavg()[0];
    execFileSync(process.execPath, [path.join(root, 'bin/headroom.js'), 'bench', file, '--mode', 'cpu', '--duration', duration, '--out', out, '--no-html', '--json'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const load1 = loadavg()[0];
    const measured = pool(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary).latency;
    // Predictions: long runs, so that their own noise is small next to the errors.
    const predict = (nodes: boolean) => pool(runScenario(parseScenario(scenario(rate, nodes, '600s'), file, dir)).summary).latency;
    const alone = predict(false), shared = predict(true);
    const e = { alone: [alone.p50 / measured.p50 - 1, alone.p99 / measured.p99 - 1], nodes: [shared.p50 / measured.p50 - 1, shared.p99 / measured.p99 - 1] };
    for (const k of ['alone', 'nodes'] as const) for (const i of [0, 1]) sums[k][i] += Math.abs(e[k][i]);
    rows.push([
      `${(level * 100).toFixed(0)}% (${rate.toFixed(0)} req/s)`, `${load0.toFixed(1)}–${load1.toFixed(1)}`,
      ms(measured.p50), `${ms(alone.p50)} ${err(alone.p50, measured.p50)}`, `${ms(shared.p50)} ${err(shared.p50, measured.p50)}`,
      ms(measured.p99), `${ms(alone.p99)} ${err(alone.p99, measured.p99)}`, `${ms(shared.p99)} ${err(shared.p99, measured.p99)}`,
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const head = ['load', 'load avg', 'p50 measured', 'p50 pool alone', 'p50 on a 2-core node', 'p99 measured', 'p99 pool alone', 'p99 on a 2-core node'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [head, w.map((n) => '-'.repeat(n)), ...rows]) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
const n = levels.length;
const busy = Math.max(...rows.flatMap((r) => r[1].split('–').map(Number)));
if (busy > availableParallelism()) {
  console.log(`note: load average up to ${busy.toFixed(1)} on ${availableParallelism()} cores: other processes took most of the CPU the upstreams needed, so the measurement says more about them than about three upstreams sharing two cores; run it on a quiet machine`);
}
console.log(`mean |error|: pool alone p50 ${(sums.alone[0] / n * 100).toFixed(0)}%, p99 ${(sums.alone[1] / n * 100).toFixed(0)}%; on a 2-core node p50 ${(sums.nodes[0] / n * 100).toFixed(0)}%, p99 ${(sums.nodes[1] / n * 100).toFixed(0)}%`);
