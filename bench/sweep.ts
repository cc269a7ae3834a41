// npm run bench:sweep — sweep throughput on 2 worker threads against 1: the same sweep
// (bench/sweep.yaml, 16 points) on a pool of each size, in interleaved rounds (1, 2, 2, 1, 1, 2, …)
// so that a change in the machine's load hits both alike. Prints the ratio of points per second
// as min and median over the rounds, the CPU time each took (process-wide: every thread), and
// the load average, because this machine is shared and wall time alone would mislead.
//
//   npm run bench:sweep -- [--rounds 5]
import { availableParallelism, loadavg } from 'node:os';
import { loadSweep } from '../src/sweep/spec.ts';
import { RunPool } from '../src/sweep/pool.ts';
import { plan, runSweep } from '../src/sweep/run-sweep.ts';
import { resultText } from '../src/sweep/result.ts';

const i = process.argv.indexOf('--rounds');
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 5;
const spec = loadSweep('bench/sweep.yaml');
const runs = plan(spec, null).runs;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const [one, two] = await Promise.all([RunPool.open(1), RunPool.open(2)]);
try {
  // A first sweep on each warms the threads (module loading, JIT) out of the measurement, and
  // checks the two give the same table.
  const [w1, w2] = [await runSweep(spec, null, one), await runSweep(spec, null, two)];
  if (resultText(w1) !== resultText(w2)) throw new Error('1 and 2 workers gave different results');
  const measure = async (pool: RunPool) => {
    const cpu0 = process.cpuUsage(), t0 = performance.now();
    await runSweep(spec, null, pool);
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  const load0 = loadavg()[0];
  const rows: Array<{ w1: number; w2: number; c1: number; c2: number; ratio: number }> = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [one, two] : [two, one];
    const got = new Map<RunPool, { wall: number; cpu: number }>();
    for (const pool of order) got.set(pool, await measure(pool));
    const a = got.get(one)!, b = got.get(two)!;
    rows.push({ w1: a.wall, w2: b.wall, c1: a.cpu, c2: b.cpu, ratio: a.wall / b.wall });
    console.log(`round ${r + 1}: 1 worker ${(runs / a.wall).toFixed(2)} points/s (${a.wall.toFixed(1)} s wall, ${a.cpu.toFixed(1)} s CPU); ` +
      `2 workers ${(runs / b.wall).toFixed(2)} points/s (${b.wall.toFixed(1)} s wall, ${b.cpu.toFixed(1)} s CPU); ratio ${(a.wall / b.wall).toFixed(2)}`);
  }
  const load1 = loadavg()[0];
  const ratios = rows.map((x) => x.ratio);
  console.log(`\nsweep of ${runs} runs (${spec.scenario.name}, bench/sweep.yaml), ${rounds} interleaved rounds, ${availableParallelism()} cores`);
  console.log(`throughput 2 workers / 1 worker: min ${Math.min(...ratios).toFixed(2)}×, median ${median(ratios).toFixed(2)}×`);
  console.log(`CPU time per sweep: 1 worker median ${median(rows.map((x) => x.c1)).toFixed(1)} s, 2 workers median ${median(rows.map((x) => x.c2)).toFixed(1)} s ` +
    `(CPU/wall: ${median(rows.map((x) => x.c1 / x.w1)).toFixed(2)} and ${median(rows.map((x) => x.c2 / x.w2)).toFixed(2)} cores busy)`);
  console.log(`load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end: above ${availableParallelism()} the machine was shared and the ratio understates the pool`);
} finally {
  await Promise.all([one.close(), two.close()]);
}
