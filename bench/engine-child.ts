// One measurement of bench:engine in a process of its own, so that rounds do not share a heap, a
// JIT state or garbage. Prints one JSON line: customers, cpu (user + system seconds of the run),
// wall, peakRssMb (the process's), meanWait.
//
//   node --import tsx bench/engine-child.ts headroom ROOT CUSTOMERS   the engine of the checkout at ROOT
//   node --import tsx bench/engine-child.ts bare CUSTOMERS LAMBDA MEAN SERVERS   the kernel alone (./bare-heap.ts)
//
// ROOT lets one run put another checkout (say, the commit before a change) in the same rounds.
import path from 'node:path';
import { bareMmc } from './bare-heap.ts';

const [what, ...rest] = process.argv.slice(2);
const WARM = 200_000; // customers run first, unmeasured, so the JIT has compiled the hot path

function measure<T>(f: () => T): { result: T; cpu: number; wall: number } {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const result = f();
  const c = process.cpuUsage(c0);
  return { result, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

if (what === 'headroom') {
  const root = path.resolve(rest[0]), customers = Number(rest[1]);
  const { loadScenario } = await import(path.join(root, 'src/scenario/index.ts'));
  const { runScenario } = await import(path.join(root, 'src/model/index.ts'));
  const base = loadScenario(path.join(root, 'scenarios/mmc.yaml'));
  // Every run keeps 500 sample intervals (the series is the one thing that grows, with simulated
  // time / sample interval, by design), so peak memory compares per request: there must be none.
  const run = (n: number) => {
    const duration = n / base.workload.rate.rate;
    return runScenario({ ...base, duration, warmup: 0, sampleInterval: duration / 500 }).summary;
  };
  run(WARM);
  const m = measure(() => run(customers));
  const pool = Object.values(m.result.components as Record<string, { kind: string; wait: { mean: number } }>).find((c) => c.kind === 'pool');
  console.log(JSON.stringify({ customers: m.result.totals.completions, cpu: m.cpu, wall: m.wall, peakRssMb: peakRssMb(), meanWait: pool?.wait.mean }));
} else if (what === 'bare') {
  const [customers, lambda, mean, servers] = rest.map(Number);
  bareMmc(WARM, lambda, mean, servers, 1);
  const m = measure(() => bareMmc(customers, lambda, mean, servers, 1));
  console.log(JSON.stringify({ customers: m.result.customers, cpu: m.cpu, wall: m.wall, peakRssMb: peakRssMb(), meanWait: m.result.meanWait }));
} else {
  throw new Error('usage: engine-child.ts headroom ROOT CUSTOMERS | bare CUSTOMERS LAMBDA MEAN SERVERS');
}
