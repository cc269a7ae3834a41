// CPU-bound service time: a fixed number of busy-loop iterations per request, so a request costs
// the same CPU work whether the machine is idle or crowded (a wall-clock spin would not: under
// contention it would finish on time having done less). The iteration rate is measured once, in
// CPU time, by the stack before it starts the upstreams.

/** The loop itself, as source, so the calibration and the worker threads run the very same code. */
const SPIN = `function spin(n) {
  let x = 1;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  return x;
}`;

/** A worker thread body: receives iteration counts, spins, answers with the count. */
export const SPIN_WORKER_SOURCE = `${SPIN}
const { parentPort } = require('node:worker_threads');
let sink = 0;
parentPort.on('message', (n) => { sink ^= spin(n); parentPort.postMessage(n); });`;

/** Busy-loop iterations per CPU second on this machine (median of a few ~40 ms CPU-timed runs). */
export function measureSpinRate(): number {
  const spin = new Function(`${SPIN}; return spin;`)() as (n: number) => number;
  spin(1e6); // let the JIT compile it first
  const rates: number[] = [];
  let n = 2e6, sink = 0;
  for (let k = 0; k < 5; k++) {
    const t0 = process.cpuUsage();
    sink ^= spin(n);
    const d = process.cpuUsage(t0);
    const cpu = (d.user + d.system) / 1e6;
    if (cpu < 0.02) { n *= 4; k--; continue; } // too short to time: grow the run
    rates.push(n / cpu);
  }
  if (sink === 0.5) throw new Error('unreachable'); // keeps the loop's result alive
  rates.sort((a, b) => a - b);
  return rates[2];
}
